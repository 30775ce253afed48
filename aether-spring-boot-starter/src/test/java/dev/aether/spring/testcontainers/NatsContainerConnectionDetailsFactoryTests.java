package dev.aether.spring.testcontainers;

import java.util.List;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Testcontainers connection-details factory and the failure analyzer are registered where Spring
 * Boot looks for them. (Running a {@code nats} container needs Docker, which the test machines lack;
 * the JetStream tests use a local nats-server instead.)
 */
class NatsContainerConnectionDetailsFactoryTests {

    private final SpringFactoriesLoader loader = SpringFactoriesLoader.forDefaultResourceLocation();

    @Test
    void theFactoryIsRegisteredForServiceConnections() {
        List<?> factories = loader.load(ConnectionDetailsFactory.class,
                SpringFactoriesLoader.FailureHandler.logging(LogFactory.getLog(getClass())));
        assertThat(factories).hasAtLeastOneElementOfType(NatsContainerConnectionDetailsFactory.class);
    }

    @Test
    void theFailureAnalyzerIsRegistered() {
        assertThat(loader.load(FailureAnalyzer.class,
                SpringFactoriesLoader.FailureHandler.logging(LogFactory.getLog(getClass()))))
                .extracting(analyzer -> analyzer.getClass().getName())
                .contains("dev.aether.spring.autoconfigure.NatsConnectionFailureAnalyzer");
    }
}

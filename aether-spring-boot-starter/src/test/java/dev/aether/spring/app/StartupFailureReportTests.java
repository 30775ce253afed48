package dev.aether.spring.app;

import dev.aether.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a user reads when a property is wrong: a real application (with a service that needs the
 * store, as every user's has) fails to start, and Boot's failure report names the property and,
 * for a value out of a fixed set, the accepted values.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

    @Test
    void anUnknownStoreTypeNamesThePropertyTheValueAndTheAcceptedValues(CapturedOutput output) {
        assertReport(output, new String[] {"aether.store.type=jetstrem"},
                "aether.store.type", "jetstrem", "JETSTREAM", "MEMORY");
        assertThat(output).doesNotContain("required a bean of type");
    }

    @Test
    void aStoreTypeWrittenInAnotherCaseStillSelectsTheStore() {
        try (var context = start("aether.store.type=Memory")) {
            assertThat(context.getBean(EventStore.class)).isNotNull();
        }
    }

    @Test
    void anUnknownStorageNamesThePropertyAndTheAcceptedValues(CapturedOutput output) {
        assertReport(output, new String[] {"aether.jetstream.storage=ssd"},
                "aether.jetstream.storage", "ssd", "FILE", "MEMORY");
    }

    @Test
    void anUnknownStartupModeNamesThePropertyAndTheAcceptedValues(CapturedOutput output) {
        assertReport(output, new String[] {"aether.nats.startup-mode=later"},
                "aether.nats.startup-mode", "later", "FAIL", "CONNECT_LATER");
    }

    @Test
    void aNegativeDurationNamesTheProperty(CapturedOutput output) {
        assertReport(output, new String[] {"aether.nats.connect-timeout=-1s"}, "aether.nats.connect-timeout");
        assertReport(output, new String[] {"aether.jetstream.max-age=-1h"}, "aether.jetstream.max-age");
        assertReport(output, new String[] {"aether.subscribers.retry-backoff=-5ms"}, "aether.subscribers.retry-backoff");
    }

    @Test
    void aNegativeSizeNamesTheProperty(CapturedOutput output) {
        assertReport(output, new String[] {"aether.jetstream.max-bytes=-5MB"}, "aether.jetstream.max-bytes");
    }

    @Test
    void aNegativeReadCacheBoundNamesTheProperty(CapturedOutput output) {
        assertReport(output, new String[] {"aether.jetstream.read-cache-events=-1"}, "aether.jetstream.read-cache-events");
    }

    @Test
    void anEmptyServerListNamesTheProperty(CapturedOutput output) {
        assertReport(output, new String[] {"aether.nats.servers="}, "aether.nats.servers");
    }

    @Test
    void aDuplicateWindowLongerThanTheMaxAgeNamesBothProperties(CapturedOutput output) {
        assertReport(output, new String[] {"aether.jetstream.max-age=1m"},
                "aether.jetstream.duplicate-window", "aether.jetstream.max-age");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheProperty(CapturedOutput output) {
        assertReport(output, new String[] {"aether.jetstream.replicas=three"}, "aether.jetstream.replicas", "three");
    }

    @Test
    void aSwitchThatIsNeitherTrueNorFalseNamesTheProperty(CapturedOutput output) {
        assertReport(output, new String[] {"aether.subscribers.enabled=maybe"}, "aether.subscribers.enabled", "maybe");
    }

    private static void assertReport(CapturedOutput output, String[] properties, String... expected) {
        assertThatThrownBy(() -> start(properties).close()).isNotNull();
        String report = output.getAll().substring(output.getAll().lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(report).contains(expected);
    }

    private static org.springframework.context.ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(UserApplication.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "management.health.aether.enabled=false")
                .properties(properties).run();
    }

    /** An application whose own service needs the store, so the store is the first bean created. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Accounts.class)
    static class UserApplication {
    }

    /** A user's service. */
    @Service
    static class Accounts {
        final EventStore store;

        Accounts(EventStore store) {
            this.store = store;
        }
    }
}

package dev.aether.spring.autoconfigure;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.UUID;

import dev.aether.Event;
import dev.aether.EventStore;
import io.nats.client.NKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.event;
import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.messages;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * User/password, token and NKey authentication against a private nats-server that accepts one user
 * of each kind: the right credentials connect and the store works; wrong ones fail startup with a
 * message that says so and never prints the secret.
 */
class NatsAuthenticationTests {

    private static NKey user;
    private static ConfiguredNatsServer server;

    @BeforeAll
    static void startServerWithAuthentication() throws Exception {
        user = NKey.createUser(new SecureRandom());
        server = ConfiguredNatsServer.start("authorization { users = [\n"
                + "  { user: app, password: right-secret }\n"
                + "  { nkey: " + new String(user.getPublicKey()) + " }\n"
                + "] }");
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class))
            .withPropertyValues("aether.store.type=jetstream", "aether.nats.servers=" + server.url(),
                    "aether.nats.connect-timeout=1s", "aether.nats.drain-timeout=1s");

    @Test
    void aWrongPasswordFailsStartupWithoutPrintingIt() {
        runner.withPropertyValues("aether.nats.username=app", "aether.nats.password=wrong-secret").run(context -> {
            assertThat(context).hasFailed();
            String text = messages(context.getStartupFailure());
            assertThat(text).contains("refused the credentials").contains("aether.nats.username/password")
                    .doesNotContain("wrong-secret").doesNotContain("right-secret");
            FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).doesNotContain("wrong-secret");
            assertThat(analysis.getAction()).contains("aether.nats.username/password");
        });
    }

    @Test
    void aWrongTokenFailsStartupWithoutPrintingIt() {
        runner.withPropertyValues("aether.nats.token=token-secret").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("refused the credentials")
                    .doesNotContain("token-secret");
        });
    }

    @Test
    void theRightPasswordConnects() {
        runner.withPropertyValues("aether.nats.username=app", "aether.nats.password=right-secret")
                .run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void theRightNKeySeedConnects() {
        runner.withPropertyValues("aether.nats.nkey-seed=" + new String(user.getSeed()))
                .run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void anUnknownNKeyFailsStartupWithoutPrintingItsSeed() throws Exception {
        String stranger = new String(NKey.createUser(new SecureRandom()).getSeed());
        runner.withPropertyValues("aether.nats.nkey-seed=" + stranger).run(context -> {
            assertThat(context).hasFailed();
            String text = messages(context.getStartupFailure());
            assertThat(text).contains("refused the credentials").contains("nkey-seed").doesNotContain(stranger);
            FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).doesNotContain(stranger);
            assertThat(analysis.getAction()).contains("aether.nats.nkey-seed");
        });
    }

    /** The context started, and its JetStream store saves an event (of a new actor) and reads it back. */
    static void savesAndReadsBackAnEvent(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        EventStore store = context.getBean(EventStore.class);
        String actor = "order-" + UUID.randomUUID();
        store.saveEvent(event(actor, 1));
        assertThat(store.getEvents(actor, 0)).extracting(Event::version).containsExactly(1L);
    }
}

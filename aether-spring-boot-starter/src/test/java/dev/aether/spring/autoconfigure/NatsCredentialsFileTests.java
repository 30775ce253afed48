package dev.aether.spring.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.FileSystemUtils;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.messages;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials files ({@code .creds}: a user JWT and its NKey seed) against a nats-server in operator
 * mode. The operator, account and user JWTs are signed here with jnats' {@link JwtUtils}, as the
 * {@code nsc} tool would; the account has unlimited JetStream.
 */
class NatsCredentialsFileTests {

    private static final String BARE_ACCOUNT_CLAIMS = "{\"type\":\"account\",\"version\":2}";
    private static final String ACCOUNT_CLAIMS = "{\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,"
            + "\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1,\"mem_storage\":-1,\"disk_storage\":-1,"
            + "\"streams\":-1,\"consumer\":-1},\"type\":\"account\",\"version\":2}";
    private static final String USER_CLAIMS = "{\"pub\":{},\"sub\":{},\"subs\":-1,\"data\":-1,\"payload\":-1,"
            + "\"type\":\"user\",\"version\":2}";

    private static Path directory;
    private static NKey account;
    private static ConfiguredNatsServer server;

    @BeforeAll
    static void startServerInOperatorMode() throws Exception {
        directory = Files.createTempDirectory("aether-creds");
        NKey operator = NKey.createOperator(new SecureRandom());
        NKey system = NKey.createAccount(new SecureRandom());
        account = NKey.createAccount(new SecureRandom());
        String systemKey = new String(system.getPublicKey());
        String operatorJwt = jwt(operator, operator, "aether-test",
                "{\"system_account\":\"" + systemKey + "\",\"type\":\"operator\",\"version\":2}");
        // JetStream needs a system account in operator mode.
        server = ConfiguredNatsServer.start("operator: \"" + operatorJwt + "\"\nsystem_account: " + systemKey
                + "\nresolver: MEMORY\nresolver_preload: {\n"
                + "  " + systemKey + ": \"" + jwt(operator, system, "SYS", BARE_ACCOUNT_CLAIMS) + "\"\n"
                + "  " + new String(account.getPublicKey()) + ": \"" + jwt(operator, account, "aether", ACCOUNT_CLAIMS)
                + "\"\n}");
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        if (directory != null) {
            FileSystemUtils.deleteRecursively(directory);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class))
            .withPropertyValues("aether.store.type=jetstream", "aether.nats.servers=" + server.url(),
                    "aether.nats.connect-timeout=1s", "aether.nats.drain-timeout=1s");

    @Test
    void aCredentialsFileOfTheAccountConnects() throws Exception {
        Path creds = credentialsFile("app", account, NKey.createUser(new SecureRandom()));
        runner.withPropertyValues("aether.nats.credentials-file=" + creds)
                .run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void aCredentialsFileSignedByAnUnknownAccountFailsStartupWithoutPrintingTheSeed() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        Path creds = credentialsFile("stranger", NKey.createAccount(new SecureRandom()), user);
        String seed = new String(user.getSeed());
        runner.withPropertyValues("aether.nats.credentials-file=" + creds).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("refused the credentials")
                    .contains("credentials-file").doesNotContain(seed);
            FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getAction()).contains("aether.nats.credentials-file");
            assertThat(analysis.getDescription()).doesNotContain(seed);
        });
    }

    @Test
    void aMalformedCredentialsFileFailsStartupNamingThePropertyWithoutPrintingTheSeed() throws Exception {
        String seed = new String(NKey.createUser(new SecureRandom()).getSeed());
        Path creds = Files.writeString(directory.resolve("malformed.creds"),
                "-----BEGIN USER NKEY SEED-----\n" + seed + "\n------END USER NKEY SEED------\n");
        runner.withPropertyValues("aether.nats.credentials-file=" + creds).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("aether.nats.credentials-file is not a NATS credentials file").doesNotContain(seed);
        });
    }

    @Test
    void aMalformedCredentialsFileFailsStartupEvenWhenConnectingLater() throws Exception {
        Path creds = Files.writeString(directory.resolve("empty.creds"), "");
        runner.withPropertyValues("aether.nats.credentials-file=" + creds, "aether.nats.startup-mode=connect-later")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("aether.nats.credentials-file is not a NATS credentials file");
                });
    }

    @Test
    void aMissingCredentialsFileFailsStartupNamingTheProperty() {
        runner.withPropertyValues("aether.nats.credentials-file=" + directory.resolve("missing.creds")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("aether.nats.credentials-file cannot be read");
        });
    }

    private static Path credentialsFile(String name, NKey signingAccount, NKey user) throws Exception {
        String userJwt = jwt(signingAccount, user, name, USER_CLAIMS);
        return Files.writeString(directory.resolve(name + ".creds"),
                String.format(JwtUtils.NATS_USER_JWT_FORMAT, userJwt, new String(user.getSeed())));
    }

    private static String jwt(NKey issuer, NKey subject, String name, String claims) throws Exception {
        return JwtUtils.issueJWT(issuer, new String(subject.getPublicKey()), name, null,
                JwtUtils.currentTimeSeconds(), new String(issuer.getPublicKey()), () -> claims);
    }
}

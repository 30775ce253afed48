package dev.aether.spring.autoconfigure;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.aether.spring.autoconfigure.AetherAutoConfigurationTests.messages;
import static dev.aether.spring.autoconfigure.NatsAuthenticationTests.savesAndReadsBackAnEvent;
import static dev.aether.spring.autoconfigure.TestCertificates.STORE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS against private nats-servers with a certificate from an authority made at test time: one
 * server with TLS only, one that also requires client certificates (mutual TLS).
 */
class NatsTlsTests {

    private static TestCertificates certificates;
    private static TestCertificates strangers;
    private static ConfiguredNatsServer tlsServer;
    private static ConfiguredNatsServer mutualTlsServer;

    @BeforeAll
    static void startServers() throws IOException {
        certificates = TestCertificates.create("Aether Test CA");
        strangers = TestCertificates.create("Some Other CA");
        tlsServer = ConfiguredNatsServer.start(certificates.serverTlsBlock(false));
        mutualTlsServer = ConfiguredNatsServer.start(certificates.serverTlsBlock(true));
    }

    @AfterAll
    static void stopServers() throws IOException {
        for (AutoCloseable resource : new AutoCloseable[] {tlsServer, mutualTlsServer, certificates, strangers}) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ex) {
                    throw new IOException(ex);
                }
            }
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AetherAutoConfiguration.class, SslAutoConfiguration.class))
            .withPropertyValues("aether.store.type=jetstream", "aether.nats.connect-timeout=2s",
                    "aether.nats.drain-timeout=1s");

    private ApplicationContextRunner tls() {
        return runner.withPropertyValues("aether.nats.servers=" + tlsServer.url());
    }

    private ApplicationContextRunner mutualTls() {
        return runner.withPropertyValues("aether.nats.servers=" + mutualTlsServer.url());
    }

    @Test
    void connectsWithATrustStore() {
        tls().withPropertyValues("aether.nats.tls.trust-store=" + certificates.trustStore(),
                "aether.nats.tls.trust-store-password=" + STORE_PASSWORD).run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void connectsWithATlsUrlAndATrustStore() {
        runner.withPropertyValues("aether.nats.servers=tls://127.0.0.1:" + tlsServer.port(),
                "aether.nats.tls.trust-store=" + certificates.trustStore(),
                "aether.nats.tls.trust-store-password=" + STORE_PASSWORD).run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void connectsWithAPemSslBundle() {
        tls().withPropertyValues("spring.ssl.bundle.pem.nats.truststore.certificate=" + certificates.caCertificate(),
                "aether.nats.tls.bundle=nats").run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void connectsWithAKeyStoreSslBundle() {
        tls().withPropertyValues("spring.ssl.bundle.jks.nats.truststore.location=" + certificates.trustStore(),
                "spring.ssl.bundle.jks.nats.truststore.type=PKCS12",
                "spring.ssl.bundle.jks.nats.truststore.password=" + STORE_PASSWORD, "aether.nats.tls.bundle=nats")
                .run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void anUntrustedServerCertificateFailsStartupWithoutPrintingThePassword() {
        tls().withPropertyValues("aether.nats.tls.trust-store=" + strangers.trustStore(),
                "aether.nats.tls.trust-store-password=" + STORE_PASSWORD).run(NatsTlsTests::failsAsUntrusted);
    }

    @Test
    void anUntrustedServerCertificateFailsStartupWithAnSslBundle() {
        tls().withPropertyValues("spring.ssl.bundle.pem.nats.truststore.certificate=" + strangers.caCertificate(),
                "aether.nats.tls.bundle=nats").run(NatsTlsTests::failsAsUntrusted);
    }

    @Test
    void aPrivateAuthorityIsNotTrustedByTheJvmDefaults() {
        tls().withPropertyValues("aether.nats.tls.enabled=true").run(NatsTlsTests::failsAsUntrusted);
    }

    @Test
    void aWrongTrustStorePasswordFailsStartupWithoutPrintingIt() {
        tls().withPropertyValues("aether.nats.tls.trust-store=" + certificates.trustStore(),
                "aether.nats.tls.trust-store-password=wrong-store-secret").run(context -> {
                    assertThat(context).hasFailed();
                    String text = messages(context.getStartupFailure());
                    assertThat(text).contains("TLS").contains("aether.nats.tls").contains("password was incorrect")
                            .doesNotContain("wrong-store-secret");
                    FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getAction()).contains("aether.nats.tls.trust-store");
                });
    }

    @Test
    void aServerThatRequiresTlsFailsStartupWhenTlsIsOff() {
        tls().run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getAction()).contains("aether.nats.tls");
        });
    }

    @Test
    void mutualTlsConnectsWithAKeyStore() {
        mutualTls().withPropertyValues("aether.nats.tls.trust-store=" + certificates.trustStore(),
                "aether.nats.tls.trust-store-password=" + STORE_PASSWORD,
                "aether.nats.tls.key-store=" + certificates.clientKeyStore(),
                "aether.nats.tls.key-store-password=" + STORE_PASSWORD).run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void mutualTlsConnectsWithAPemSslBundle() {
        mutualTls().withPropertyValues("spring.ssl.bundle.pem.nats.truststore.certificate=" + certificates.caCertificate(),
                "spring.ssl.bundle.pem.nats.keystore.certificate=" + certificates.clientCertificate(),
                "spring.ssl.bundle.pem.nats.keystore.private-key=" + certificates.clientKey(),
                "aether.nats.tls.bundle=nats").run(NatsAuthenticationTests::savesAndReadsBackAnEvent);
    }

    @Test
    void mutualTlsWithoutAClientCertificateFailsStartup() {
        mutualTls().withPropertyValues("aether.nats.tls.trust-store=" + certificates.trustStore(),
                "aether.nats.tls.trust-store-password=" + STORE_PASSWORD).run(context -> {
                    assertThat(context).hasFailed();
                    String text = messages(context.getStartupFailure());
                    assertThat(text).contains("TLS").doesNotContain(STORE_PASSWORD);
                    FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getAction()).contains("aether.nats.tls.key-store");
                });
    }

    private static void failsAsUntrusted(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        String text = messages(context.getStartupFailure());
        assertThat(text).contains("TLS").doesNotContain(STORE_PASSWORD);
        FailureAnalysis analysis = new NatsConnectionFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis.getDescription()).contains("TLS").doesNotContain(STORE_PASSWORD);
        assertThat(analysis.getAction()).contains("aether.nats.tls.trust-store").contains("aether.nats.tls.bundle")
                .doesNotContain(STORE_PASSWORD);
    }
}

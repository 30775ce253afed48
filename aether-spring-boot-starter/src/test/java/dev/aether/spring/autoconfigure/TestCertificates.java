package dev.aether.spring.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * A certificate authority, a server certificate for 127.0.0.1 and localhost, and a client
 * certificate, made with {@code openssl} and {@code keytool} in a temporary directory: PEM files for
 * nats-server and Spring Boot PEM bundles, PKCS#12 stores for the trust-store and key-store
 * properties.
 */
final class TestCertificates implements AutoCloseable {

    /** Password of both PKCS#12 stores. */
    static final String STORE_PASSWORD = "store-secret";

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** Makes a new authority (named {@code name}) and the certificates it signs. */
    static TestCertificates create(String name) throws IOException {
        Path directory = Files.createTempDirectory("aether-tls");
        TestCertificates certificates = new TestCertificates(directory);
        try {
            certificates.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=" + name);
            Files.writeString(directory.resolve("server.ext"),
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
            Files.writeString(directory.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
            for (String end : List.of("server", "client")) {
                certificates.run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", end + ".key", "-out", end + ".csr", "-subj", "/CN=" + end);
                certificates.run("openssl", "x509", "-req", "-in", end + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                        "-CAcreateserial", "-out", end + ".pem", "-days", "2", "-extfile", end + ".ext");
            }
            certificates.run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-storetype",
                    "PKCS12", "-keystore", "truststore.p12", "-storepass", STORE_PASSWORD);
            certificates.run("openssl", "pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-name",
                    "client", "-out", "client.p12", "-passout", "pass:" + STORE_PASSWORD);
        } catch (IOException | RuntimeException ex) {
            certificates.close();
            throw ex;
        }
        return certificates;
    }

    Path caCertificate() {
        return directory.resolve("ca.pem");
    }

    Path serverCertificate() {
        return directory.resolve("server.pem");
    }

    Path serverKey() {
        return directory.resolve("server.key");
    }

    Path clientCertificate() {
        return directory.resolve("client.pem");
    }

    Path clientKey() {
        return directory.resolve("client.key");
    }

    /** @return a PKCS#12 trust store holding the authority's certificate */
    Path trustStore() {
        return directory.resolve("truststore.p12");
    }

    /** @return a PKCS#12 key store holding the client's certificate and key */
    Path clientKeyStore() {
        return directory.resolve("client.p12");
    }

    /** @return the nats-server {@code tls} block for the server certificate, requiring client certificates or not */
    String serverTlsBlock(boolean verifyClients) {
        return "tls {\n  cert_file: \"" + serverCertificate() + "\"\n  key_file: \"" + serverKey() + "\"\n  ca_file: \""
                + caCertificate() + "\"\n  verify: " + verifyClients + "\n  timeout: 2\n}";
    }

    private void run(String... command) throws IOException {
        List<String> arguments = new ArrayList<>(List.of(command));
        Path output = directory.resolve("command.log");
        Process process = new ProcessBuilder(arguments).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + Files.readString(output));
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    @Override
    public void close() throws IOException {
        FileSystemUtils.deleteRecursively(directory);
    }
}

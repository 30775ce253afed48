package dev.aether.spring.autoconfigure;

import java.util.List;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * {@link NatsConnectionDetails} read from {@code aether.nats.*}.
 */
final class PropertiesNatsConnectionDetails implements NatsConnectionDetails {

    private final AetherProperties.Nats properties;
    private final SslBundles sslBundles;

    /**
     * @param properties the {@code aether.nats} properties
     * @param sslBundles the application's SSL bundles, or null when there are none
     */
    public PropertiesNatsConnectionDetails(AetherProperties.Nats properties, SslBundles sslBundles) {
        this.properties = properties;
        this.sslBundles = sslBundles;
    }

    @Override
    public List<String> getServers() {
        return properties.servers();
    }

    @Override
    public String getUsername() {
        return properties.username();
    }

    @Override
    public String getPassword() {
        return properties.password();
    }

    @Override
    public String getToken() {
        return properties.token();
    }

    /** @throws IllegalStateException if {@code aether.nats.tls.bundle} names no bundle */
    @Override
    public SslBundle getSslBundle() {
        String name = properties.tls().bundle();
        if (name == null) {
            return null;
        }
        if (sslBundles == null) {
            throw new IllegalStateException("aether.nats.tls.bundle is '" + name
                    + "' but the application defines no SSL bundles (spring.ssl.bundle.*)");
        }
        return sslBundles.getBundle(name);
    }
}

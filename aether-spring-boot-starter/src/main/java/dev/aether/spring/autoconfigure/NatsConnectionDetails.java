package dev.aether.spring.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Where and how to reach NATS. By default built from {@code aether.nats.*}; a Testcontainers or
 * Docker Compose integration (or the application) may supply its own bean instead.
 */
public interface NatsConnectionDetails extends ConnectionDetails {

    /** @return the server URLs, at least one */
    List<String> getServers();

    /** @return the user name for user/password authentication, or null */
    default String getUsername() {
        return null;
    }

    /** @return the password for user/password authentication, or null */
    default String getPassword() {
        return null;
    }

    /** @return the authentication token, or null */
    default String getToken() {
        return null;
    }

    /** @return the SSL bundle to connect with, or null for none */
    default SslBundle getSslBundle() {
        return null;
    }
}

package dev.aether.spring.testcontainers;

import java.util.List;

import dev.aether.spring.autoconfigure.NatsConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.containers.Container;

/**
 * Supplies {@link NatsConnectionDetails} from a {@code @ServiceConnection}-annotated Testcontainers
 * container of the {@code nats} image (started with {@code -js}), on its port 4222.
 */
class NatsContainerConnectionDetailsFactory
        extends ContainerConnectionDetailsFactory<Container<?>, NatsConnectionDetails> {

    private static final int NATS_PORT = 4222;

    NatsContainerConnectionDetailsFactory() {
        super("nats");
    }

    @Override
    protected NatsConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
        return new NatsContainerConnectionDetails(source);
    }

    /** {@link NatsConnectionDetails} backed by a running container. */
    private static final class NatsContainerConnectionDetails extends ContainerConnectionDetails<Container<?>>
            implements NatsConnectionDetails {

        private NatsContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
            super(source);
        }

        @Override
        public List<String> getServers() {
            return List.of("nats://" + getContainer().getHost() + ":" + getContainer().getMappedPort(NATS_PORT));
        }

        @Override
        public SslBundle getSslBundle() {
            return super.getSslBundle();
        }
    }
}

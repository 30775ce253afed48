package dev.aether.jetstream;

import dev.aether.NamespacePattern;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.StreamContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the namespace streams a subscription's pattern matches: the namespaces (one stream-name request
 * for a wildcard pattern, none for a plain one) and each one's stream, if it exists.
 */
final class StreamDiscovery {

    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final String prefix;
    private final NamespacePattern pattern;

    StreamDiscovery(JetStream jetStream, JetStreamManagement management, String prefix, NamespacePattern pattern) {
        this.jetStream = Objects.requireNonNull(jetStream, "jetStream must not be null");
        this.management = Objects.requireNonNull(management, "management must not be null");
        this.prefix = Objects.requireNonNull(prefix, "prefix must not be null");
        this.pattern = Objects.requireNonNull(pattern, "pattern must not be null");
    }

    /** @return the namespaces matching the pattern: the pattern itself when it has no wildcard */
    List<String> matchingNamespaces() throws IOException, JetStreamApiException {
        if (!pattern.hasWildcard()) {
            return List.of(pattern.value());
        }
        List<String> namespaces = new ArrayList<>();
        for (String streamName : management.getStreamNames(SubjectCodec.streamSubjectsMatching(prefix, pattern))) {
            SubjectCodec.namespaceOfStream(prefix, streamName).filter(pattern::matches).ifPresent(namespaces::add);
        }
        return namespaces;
    }

    /** @return the namespace's stream, empty if it does not exist (yet) */
    Optional<StreamContext> stream(String namespace) throws IOException, JetStreamApiException {
        try {
            return Optional.of(jetStream.getStreamContext(streamName(namespace)));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == StreamProvisioner.STREAM_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * @param namespace the namespace
     * @param stream    the namespace's stream
     * @return the stream's subject layout, read from its subjects (one request); {@link SubjectLayout#FLAT}
     *         when they are not one layout's, as a flat reader skips what is not its partition's by the
     *         subject's last token in either layout
     */
    SubjectLayout layout(String namespace, StreamContext stream) throws IOException, JetStreamApiException {
        List<String> subjects = stream.getStreamInfo().getConfiguration().getSubjects();
        return SubjectCodec.layoutOf(prefix, namespace, subjects).orElse(SubjectLayout.FLAT);
    }

    /** @return the name of the namespace's stream */
    String streamName(String namespace) {
        return SubjectCodec.streamName(prefix, namespace);
    }
}

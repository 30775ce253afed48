package dev.aether.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a consumer's state as its leader reports it. On a cluster every server that holds a replica of the
 * consumer may answer a {@code CONSUMER.INFO} request: a replica that has never seen a leader of the consumer's
 * group (after a restart, while its Raft group is behind) answers with its own copy of the state, which can be
 * far behind the leader's (an ack floor minutes old), and the server the client is connected to answers first.
 * A plain request takes the first answer; this one takes the leader's, and passes over the others.
 */
final class LeaderConsumerInfo {

    /** How long to wait for the leader's answer after a replica without a leader, or an error, answered. */
    private static final Duration LEADER_GRACE = Duration.ofMillis(250);
    private static final byte[] EMPTY = new byte[0];

    private LeaderConsumerInfo() {
    }

    /**
     * @param connection the connection to ask on (the default JetStream API prefix)
     * @param stream     the stream's name
     * @param consumer   the consumer's name
     * @param timeout    the longest wait for an answer
     * @return the state reported by the consumer's leader, or by the single server that holds it; empty when
     *         only replicas without a leader answered
     * @throws JetStreamApiException if the server answered with an error (no consumer, no stream) and no
     *         replica answered with a state
     * @throws IOException           if no server answered within the timeout, no JetStream server is there, or
     *                               the thread was interrupted ({@link InterruptedIOException})
     */
    static Optional<ConsumerInfo> read(Connection connection, String stream, String consumer, Duration timeout)
            throws IOException, JetStreamApiException {
        String subject = NatsJetStreamConstants.DEFAULT_API_PREFIX
                + String.format(NatsJetStreamConstants.JSAPI_CONSUMER_INFO, stream, consumer);
        String inbox = connection.createInbox();
        Subscription answers = connection.subscribe(inbox);
        try {
            connection.publish(subject, inbox, EMPTY);
            long deadline = System.nanoTime() + timeout.toNanos();
            ConsumerInfo error = null;
            boolean leaderless = false;
            while (true) {
                long left = deadline - System.nanoTime();
                Message answer = left > 0 ? answers.nextMessage(Duration.ofNanos(left)) : null;
                if (answer == null) {
                    break;
                }
                if (answer.isStatusMessage()) {
                    throw new IOException("No JetStream server answered " + subject + ": " + answer.getStatus());
                }
                ConsumerInfo info = new ConsumerInfo(answer);
                if (!info.hasError() && fromLeader(info)) {
                    return Optional.of(info);
                }
                if (info.hasError()) {
                    error = info;
                } else {
                    leaderless = true;
                }
                deadline = Math.min(deadline, System.nanoTime() + LEADER_GRACE.toNanos());
            }
            if (leaderless) {
                return Optional.empty();
            }
            if (error != null) {
                error.throwOnHasError();
            }
            throw new IOException("No answer to " + subject + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("Interrupted while reading " + subject);
            interrupted.initCause(e);
            throw interrupted;
        } finally {
            if (connection.getStatus() != Connection.Status.CLOSED) {
                answers.unsubscribe();
            }
        }
    }

    /** @return whether the state is the leader's, or a single server's (which reports no cluster) */
    static boolean fromLeader(ConsumerInfo info) {
        ClusterInfo cluster = info.getClusterInfo();
        return cluster == null || cluster.getLeader() != null;
    }
}

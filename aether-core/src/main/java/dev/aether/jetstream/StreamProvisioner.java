package dev.aether.jetstream;

import dev.aether.StoreUnavailableException;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates a namespace's event stream and snapshot bucket, and the parking stream of subscriptions, or
 * adopts existing ones whose settings agree with the desired ones. Safe to run from many processes at once: JetStream accepts a create
 * of an identical stream, and a lost race is resolved by reading what the winner created.
 */
final class StreamProvisioner {

    /** Stream not found (jnats has no constant for it, nor for the two codes below). */
    static final int STREAM_NOT_FOUND = 10059;
    /** A stream of that name exists with another configuration. */
    static final int STREAM_NAME_IN_USE = 10058;
    /** The new stream's subjects overlap those of an existing stream. */
    private static final int SUBJECTS_OVERLAP = 10065;
    /** JetStream names a KV bucket's stream {@code KV_<bucket>}. */
    static final String KV_STREAM_PREFIX = "KV_";
    /** The server's default, which the parking stream has always had. */
    private static final Duration PARKING_DUPLICATE_WINDOW = Duration.ofMinutes(2);

    private StreamProvisioner() {
    }

    /**
     * The stream Aether wants: limits retention, unlimited messages per subject, discard-new (a full
     * stream refuses writes instead of dropping history), no deletes, leader-only reads.
     */
    static StreamConfiguration desiredStream(JetStreamEventStore.Builder b, String name, String subjects) {
        return StreamConfiguration.builder()
                .name(name)
                .subjects(subjects)
                .retentionPolicy(RetentionPolicy.Limits)
                .storageType(b.storageType)
                .replicas(b.replicas)
                .maxAge(b.maxAge)
                .maxBytes(b.maxBytes)
                .duplicateWindow(b.duplicateWindow)
                .maxMessagesPerSubject(-1)
                .maxMessages(-1)
                .discardPolicy(DiscardPolicy.New)
                .denyDelete(true)
                // Direct get lets followers answer with stale data; leader reads keep read-your-writes.
                .allowDirect(false)
                .build();
    }

    /**
     * The parking stream: file storage, nothing ever dropped by a limit, and deletes allowed, since an
     * operator discards or replays parked events by deleting their messages.
     */
    static StreamConfiguration desiredParkingStream(String prefix, int replicas) {
        return StreamConfiguration.builder()
                .name(SubjectCodec.parkingStream(prefix))
                .description("Events Aether durable subscriptions gave up on; see docs/subscriptions.md")
                .subjects(SubjectCodec.parkingSubjects(prefix))
                .retentionPolicy(RetentionPolicy.Limits)
                .storageType(StorageType.File)
                .replicas(replicas)
                .duplicateWindow(PARKING_DUPLICATE_WINDOW)
                .maxMessagesPerSubject(-1)
                .maxMessages(-1)
                .denyDelete(false)
                .build();
    }

    /** {@link #ensureStream(JetStreamManagement, StreamConfiguration, List)} accepting only the desired subjects. */
    static StreamConfiguration ensureStream(JetStreamManagement jsm, StreamConfiguration desired) {
        return ensureStream(jsm, desired, desired.getSubjects());
    }

    /**
     * Creates the stream if missing, or adopts an existing one whose settings agree.
     *
     * @param desired          the stream to create when there is none
     * @param acceptedSubjects subject filters of which an existing stream must have one (the desired
     *                         subjects, or those of another layout the caller can work with)
     * @return the configuration of the stream in place, existing or created
     * @throws IncompatibleStreamException if an existing stream's settings disagree
     * @throws StoreUnavailableException   if the stream could not be created or read
     */
    static StreamConfiguration ensureStream(JetStreamManagement jsm, StreamConfiguration desired,
                                            List<String> acceptedSubjects) {
        String name = desired.getName();
        try {
            try {
                return check(desired, acceptedSubjects, jsm.getStreamInfo(name).getConfiguration());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
            }
            try {
                return check(desired, acceptedSubjects, jsm.addStream(desired).getConfiguration());
            } catch (JetStreamApiException e) {
                // A concurrent creation of the same stream answers "name in use", or on nats-server 2.9
                // sometimes "subjects overlap": either way read the stream; if it does not exist, the
                // overlap is with another stream and the refusal stands.
                if (e.getApiErrorCode() != STREAM_NAME_IN_USE && e.getApiErrorCode() != SUBJECTS_OVERLAP) {
                    throw e;
                }
                try {
                    return check(desired, acceptedSubjects, jsm.getStreamInfo(name).getConfiguration());
                } catch (JetStreamApiException missing) {
                    if (missing.getApiErrorCode() != STREAM_NOT_FOUND) {
                        throw missing;
                    }
                    throw e;
                }
            }
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw new StoreUnavailableException("Could not create or read the JetStream stream '" + name + "'", e);
        }
    }

    /** @return the snapshot bucket the store's settings call for: one value per key */
    static KeyValueConfiguration desiredSnapshotBucket(JetStreamEventStore.Builder b, String bucket) {
        return KeyValueConfiguration.builder()
                .name(bucket)
                .maxHistoryPerKey(1)
                .storageType(b.storageType)
                .replicas(b.replicas)
                .build();
    }

    /**
     * Creates a KV bucket if missing (a lost race to create it reads the winner's), then turns direct get
     * off on its stream: with direct get a follower may answer a read with a value older than the
     * caller's own last write.
     *
     * @param desired the bucket to create when there is none; an existing bucket is kept as it is
     * @param what    what the bucket is for, for the error message ("snapshot bucket")
     * @return the bucket's status, existing or created
     * @throws StoreUnavailableException if the bucket could not be created or read
     */
    static KeyValueStatus ensureBucket(KeyValueManagement kvm, JetStreamManagement jsm, KeyValueConfiguration desired,
                                       String what) {
        String bucket = desired.getBucketName();
        try {
            KeyValueStatus status;
            try {
                status = kvm.getStatus(bucket);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
                status = createBucket(kvm, desired);
            }
            StreamConfiguration kvStream = jsm.getStreamInfo(KV_STREAM_PREFIX + bucket).getConfiguration();
            if (kvStream.getAllowDirect()) {
                jsm.updateStream(StreamConfiguration.builder(kvStream).allowDirect(false).build());
            }
            return status;
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw new StoreUnavailableException("Could not create or read the " + what + " '" + bucket + "'", e);
        }
    }

    private static KeyValueStatus createBucket(KeyValueManagement kvm, KeyValueConfiguration desired)
            throws IOException, JetStreamApiException {
        try {
            return kvm.create(desired);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NAME_IN_USE) {
                throw e;
            }
            return kvm.getStatus(desired.getBucketName());
        }
    }

    /**
     * Fails, naming every setting that differs, unless the existing stream can hold Aether's events.
     *
     * @return the existing stream's configuration
     */
    private static StreamConfiguration check(StreamConfiguration desired, List<String> acceptedSubjects,
                                             StreamConfiguration existing) {
        List<String> differences = new ArrayList<>();
        if (existing.getSubjects().stream().noneMatch(acceptedSubjects::contains)) {
            differences.add("subjects=" + existing.getSubjects() + " (needs "
                    + String.join(" or ", acceptedSubjects) + ")");
        }
        differ(differences, "retention", existing.getRetentionPolicy(), desired.getRetentionPolicy());
        differ(differences, "storage", existing.getStorageType(), desired.getStorageType());
        differ(differences, "replicas", existing.getReplicas(), desired.getReplicas());
        differ(differences, "max_age", existing.getMaxAge(), desired.getMaxAge());
        differ(differences, "max_bytes", normalize(existing.getMaxBytes()), normalize(desired.getMaxBytes()));
        differ(differences, "duplicate_window", existing.getDuplicateWindow(), desired.getDuplicateWindow());
        differ(differences, "max_msgs_per_subject", normalize(existing.getMaxMsgsPerSubject()), -1L);
        differ(differences, "max_msgs", normalize(existing.getMaxMsgs()), -1L);
        differ(differences, "discard", existing.getDiscardPolicy(), desired.getDiscardPolicy());
        if (!desired.getDenyDelete()) {
            differ(differences, "deny_delete", existing.getDenyDelete(), false);
        }
        if (!differences.isEmpty()) {
            throw new IncompatibleStreamException("The JetStream stream '" + desired.getName()
                    + "' exists with settings this store does not accept: " + String.join(", ", differences)
                    + ". Build the store with the stream's settings, or update or remove the stream");
        }
        return existing;
    }

    private static void differ(List<String> differences, String setting, Object existing, Object desired) {
        if (!Objects.equals(existing, desired)) {
            differences.add(setting + " is " + existing + " but the store is configured with " + desired);
        }
    }

    private static long normalize(long limit) {
        return limit <= 0 ? -1 : limit;
    }
}

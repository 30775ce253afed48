package dev.aether.jetstream;

import dev.aether.ActorId;
import dev.aether.ActorPartitions;
import dev.aether.Namespace;
import dev.aether.NamespacePattern;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of everything Aether keeps in or sends through NATS: stream, subjects, message ids, snapshot
 * bucket, the live bus's subjects and the parking stream, derived from a stream prefix, a namespace
 * and an actor id. Every mapping is injective, so that no
 * namespace or actor can reach another's data. Other JetStream components (event bus, durable
 * subscriptions) use this class rather than building names of their own.
 *
 * <table>
 *   <caption>Names for prefix {@code AETHER}, namespace {@code tenant-a.orders}, actor {@code order 1}</caption>
 *   <tr><td>stream</td><td>{@code AETHER_tenant-a_2Eorders}</td></tr>
 *   <tr><td>stream subjects</td><td>{@code AETHER.tenant-a.orders.*} (flat layout),
 *       {@code AETHER.tenant-a.orders.*.*.*.*.*.*.*.*.*.*.*} (partitioned layout)</td></tr>
 *   <tr><td>actor subject</td><td>{@code AETHER.tenant-a.orders.order_201} (flat),
 *       {@code AETHER.tenant-a.orders.<ten hash bits>.order_201} (partitioned)</td></tr>
 *   <tr><td>message id</td><td>{@code order_201:7} for version 7</td></tr>
 *   <tr><td>snapshot bucket / key</td><td>{@code AETHER_snapshots_tenant-a_2Eorders} / {@code order_201}</td></tr>
 *   <tr><td>bus subject</td><td>{@code AETHER_bus.tenant-a.orders}</td></tr>
 *   <tr><td>parking stream / subject</td><td>{@code AETHER__PARKED} /
 *       {@code AETHER_parked.<subscription>.tenant-a.orders}</td></tr>
 * </table>
 *
 * <p><b>Token encoding</b> (actor ids, and the namespace inside stream and bucket names): each
 * character of {@code [A-Za-z0-9-]} stands for itself; every other UTF-8 byte, {@code _} included,
 * becomes {@code _} and two upper-case hex digits ({@code .} is {@code _2E}, {@code é} is
 * {@code _C3_A9}). Plain ids stay readable and every token matches {@code [A-Za-z0-9_-]+}. An encoded
 * actor token longer than {@value #MAX_PLAIN_TOKEN_LENGTH} characters is replaced by {@code _H} and the
 * lower-case hex SHA-256 of the id's UTF-8 bytes; no plainly encoded token starts with {@code _H}, and
 * the real id is always in the message body.
 */
final class SubjectCodec {

    /** The default stream prefix. */
    public static final String DEFAULT_PREFIX = "AETHER";

    /** Encoded actor tokens up to this length are used as they are; longer ones are hashed. */
    public static final int MAX_PLAIN_TOKEN_LENGTH = 256;

    /** The longest stream or bucket name produced. */
    public static final int MAX_NAME_LENGTH = 240;

    /**
     * The hash bits in a {@link SubjectLayout#PARTITIONED partitioned-layout} actor subject, one token each:
     * enough for a power-of-two partition count up to {@link dev.aether.SubscriptionOptions#MAX_PARTITIONS}.
     */
    public static final int PARTITION_BITS = 10;

    /** Appended to the stream prefix to form the first token of every bus subject. */
    static final String BUS_SUFFIX = "_bus";

    private static final String HASH_MARKER = "_H";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9-]{1,32}");
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    private SubjectCodec() {
    }

    /**
     * Checks a stream prefix: 1 to 32 characters of {@code [A-Za-z0-9-]} (no {@code _}, which
     * separates the prefix from the namespace in stream names).
     *
     * @param prefix the prefix
     * @return the same prefix
     */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null) {
            throw new NullPointerException("streamPrefix must not be null");
        }
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("streamPrefix '" + prefix
                    + "' is malformed: it must be 1 to 32 characters of [A-Za-z0-9-]");
        }
        return prefix;
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @return the name of the namespace's event stream, {@code <prefix>_<encoded namespace>}
     */
    public static String streamName(String prefix, String namespace) {
        return checkedName(requireValidPrefix(prefix) + "_" + escape(Namespace.requireValid(namespace)), namespace);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @param layout    the stream's subject layout
     * @return the subject filter of the namespace's stream: {@code <prefix>.<namespace>.*} (flat), or
     *         {@code <prefix>.<namespace>} and {@value #PARTITION_BITS} + 1 {@code *} tokens (partitioned)
     */
    public static String streamSubjects(String prefix, String namespace, SubjectLayout layout) {
        String tokens = requireLayout(layout) == SubjectLayout.FLAT ? ".*" : ".*".repeat(PARTITION_BITS + 1);
        return requireValidPrefix(prefix) + "." + Namespace.requireValid(namespace) + tokens;
    }

    /**
     * The layout of a namespace's stream, read from its configured subjects.
     *
     * @param prefix         the stream prefix
     * @param namespace      the namespace
     * @param streamSubjects the subjects the stream is configured with
     * @return the layout whose subject filter the stream has; empty if it has neither, or both
     */
    public static Optional<SubjectLayout> layoutOf(String prefix, String namespace, List<String> streamSubjects) {
        boolean flat = streamSubjects.contains(streamSubjects(prefix, namespace, SubjectLayout.FLAT));
        boolean partitioned = streamSubjects.contains(streamSubjects(prefix, namespace, SubjectLayout.PARTITIONED));
        if (flat == partitioned) {
            return Optional.empty();
        }
        return Optional.of(flat ? SubjectLayout.FLAT : SubjectLayout.PARTITIONED);
    }

    /**
     * @param prefix  the stream prefix
     * @param pattern a namespace pattern
     * @return a subject filter that overlaps the subjects of every namespace stream the pattern matches, in
     *         either layout (and of deeper namespaces, which the caller drops by matching the pattern)
     */
    public static String streamSubjectsMatching(String prefix, NamespacePattern pattern) {
        // '>' already covers the actor's tokens; any other pattern needs one or more tokens for them
        return requireValidPrefix(prefix) + "." + pattern.value() + (pattern.value().endsWith(">") ? "" : ".>");
    }

    /**
     * Reverses {@link #streamName(String, String)}.
     *
     * @param prefix     the stream prefix
     * @param streamName any stream name
     * @return the namespace whose stream has this name, or empty if no namespace's stream has it
     */
    public static Optional<String> namespaceOfStream(String prefix, String streamName) {
        String start = requireValidPrefix(prefix) + "_";
        if (!streamName.startsWith(start)) {
            return Optional.empty();
        }
        try {
            return decodeActorToken(streamName.substring(start.length())).filter(namespace -> {
                try {
                    return streamName(prefix, namespace).equals(streamName);
                } catch (IllegalArgumentException e) {
                    return false;
                }
            });
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @param layout    the layout of the namespace's stream
     * @param actorId   the actor
     * @return the subject of the actor's events: {@code <prefix>.<namespace>.<actor token>} (flat), or
     *         {@code <prefix>.<namespace>.<b0>...<b9>.<actor token>} (partitioned), {@code b0} the least
     *         significant bit of the FNV-1a-32 hash of the actor id's UTF-8 bytes
     */
    public static String subject(String prefix, String namespace, SubjectLayout layout, String actorId) {
        String start = actorSubjectPrefix(prefix, namespace);
        String token = actorToken(actorId);
        if (requireLayout(layout) == SubjectLayout.FLAT) {
            return start + token;
        }
        int hash = ActorPartitions.fnv1a32(actorId.getBytes(StandardCharsets.UTF_8));
        return start + bitTokens(hash, PARTITION_BITS) + token;
    }

    /**
     * What the subjects of one partition's actors start with, on a partitioned-layout stream whose partition
     * count is a power of two: as {@code partitionOf(actor, n) = hash mod n} is then the hash's low
     * {@code log2 n} bits, those bit tokens name the partition.
     *
     * @param prefix     the stream prefix
     * @param namespace  the namespace
     * @param layout     the layout of the namespace's stream
     * @param partition  the partition, from 0
     * @param partitions the partition count
     * @return {@code <prefix>.<namespace>.} and the {@code log2 n} bits of the partition, least significant
     *         first, each followed by {@code .}; empty for a flat stream or a count that is not a power of two
     *         from 2 to 2^{@value #PARTITION_BITS}
     */
    public static Optional<String> partitionSubjectPrefix(String prefix, String namespace, SubjectLayout layout,
                                                          int partition, int partitions) {
        if (requireLayout(layout) == SubjectLayout.FLAT || partitions < 2 || partitions > 1 << PARTITION_BITS
                || Integer.bitCount(partitions) != 1) {
            return Optional.empty();
        }
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition must be 0 to " + (partitions - 1) + ", was " + partition);
        }
        return Optional.of(actorSubjectPrefix(prefix, namespace)
                + bitTokens(partition, Integer.numberOfTrailingZeros(partitions)));
    }

    /**
     * The consumer filter that makes the server deliver only one partition's events, where the layout and
     * the partition count allow it ({@link #partitionSubjectPrefix}).
     *
     * @return the partition's subject prefix followed by {@code *} for each remaining bit and the actor
     *         token, e.g. {@code AETHER.orders.1.0.*.*.*.*.*.*.*.*.*} for partition 1 of 4; empty when
     *         there is no such filter
     */
    public static Optional<String> partitionFilter(String prefix, String namespace, SubjectLayout layout,
                                                   int partition, int partitions) {
        return partitionSubjectPrefix(prefix, namespace, layout, partition, partitions).map(start -> {
            int known = Integer.numberOfTrailingZeros(partitions);
            return start + "*.".repeat(PARTITION_BITS - known) + "*";
        });
    }

    /**
     * @param subject an actor subject of either layout
     * @return its last token, the actor token
     */
    public static String actorTokenOf(String subject) {
        return subject.substring(subject.lastIndexOf('.') + 1);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @return what every actor subject of the namespace starts with, in either layout,
     *         {@code <prefix>.<namespace>.}
     */
    public static String actorSubjectPrefix(String prefix, String namespace) {
        return requireValidPrefix(prefix) + "." + Namespace.requireValid(namespace) + ".";
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace the namespace
     * @return the name of the namespace's snapshot KV bucket, {@code <prefix>_snapshots_<encoded namespace>}
     */
    public static String snapshotBucket(String prefix, String namespace) {
        return checkedName(requireValidPrefix(prefix) + "_snapshots_" + escape(Namespace.requireValid(namespace)),
                namespace);
    }

    /**
     * @param prefix    the stream prefix
     * @param namespace a namespace, or a namespace pattern ({@code *} and {@code >} mean the same in NATS)
     * @return the subject (or subject filter) of the live event bus, {@code <prefix>_bus.<namespace>};
     *         no event stream's subjects cover it, as those start with the bare prefix
     */
    public static String busSubject(String prefix, String namespace) {
        return busSubjectPrefix(prefix) + "." + namespace;
    }

    /**
     * @param prefix the stream prefix
     * @return the first token of every bus subject, {@code <prefix>_bus}
     */
    public static String busSubjectPrefix(String prefix) {
        return requireValidPrefix(prefix) + BUS_SUFFIX;
    }

    /**
     * @param prefix the stream prefix
     * @return the name of the stream of parked events, {@code <prefix>__PARKED}; no namespace stream can
     *         have it, as an encoded namespace never starts with {@code _P}
     */
    public static String parkingStream(String prefix) {
        return requireValidPrefix(prefix) + "__PARKED";
    }

    /**
     * @param prefix the stream prefix
     * @return the subject filter of the parking stream, {@code <prefix>_parked.>}
     */
    public static String parkingSubjects(String prefix) {
        return parkedSubjectPrefix(prefix) + ">";
    }

    /**
     * @param prefix       the stream prefix
     * @param subscription the name of the subscription that parked the event
     * @param namespace    the event's namespace
     * @return the subject an event is parked on, {@code <prefix>_parked.<subscription>.<namespace>}
     */
    public static String parkedSubject(String prefix, String subscription, String namespace) {
        return parkedSubjectPrefix(prefix) + subscription + "." + namespace;
    }

    /**
     * @param prefix       the stream prefix
     * @param subscription the name of a subscription
     * @return the filter of every event that subscription parked, {@code <prefix>_parked.<subscription>.>}
     */
    public static String parkedSubjects(String prefix, String subscription) {
        return parkedSubjectPrefix(prefix) + subscription + ".>";
    }

    /**
     * @param prefix the stream prefix
     * @return the KV bucket of partition leases and group members, {@code <prefix>_leases}
     */
    public static String leaseBucket(String prefix) {
        return requireValidPrefix(prefix) + "_leases";
    }

    /**
     * @param prefix the stream prefix
     * @return the KV bucket (no max age) where partition owners record, per actor, the last event they
     *         dealt with, {@code <prefix>_handed}
     */
    public static String handedBucket(String prefix) {
        return requireValidPrefix(prefix) + "_handed";
    }

    /**
     * @param durableName the durable name of a partitioned subscription
     * @param partition   the partition, from 0
     * @param partitions  the partition count
     * @return the name of the partition's durable consumer on every stream the group reads,
     *         {@code <durable>-p<partition>-of-<partitions>}
     */
    public static String partitionConsumer(String durableName, int partition, int partitions) {
        return durableName + "-p" + partition + "-of-" + partitions;
    }

    private static String parkedSubjectPrefix(String prefix) {
        return requireValidPrefix(prefix) + "_parked.";
    }

    /**
     * @param actorId the actor
     * @param version the event's version
     * @return the {@code Nats-Msg-Id} of the actor's event with this version, {@code <actor token>:<version>}
     */
    public static String messageId(String actorId, long version) {
        return actorToken(actorId) + ":" + version;
    }

    /**
     * Encodes an actor id into one subject token (also the snapshot key).
     *
     * @param actorId the actor id, valid by {@link ActorId#requireValid(String)}
     * @return a token of {@code [A-Za-z0-9_-]}, at most {@value #MAX_PLAIN_TOKEN_LENGTH} characters
     */
    public static String actorToken(String actorId) {
        byte[] utf8 = ActorId.requireValid(actorId).getBytes(StandardCharsets.UTF_8);
        String escaped = escape(actorId);
        if (escaped.length() <= MAX_PLAIN_TOKEN_LENGTH) {
            return escaped;
        }
        try {
            return HASH_MARKER + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * Decodes an actor token.
     *
     * @param token a token made by {@link #actorToken(String)}
     * @return the actor id, or empty for a hashed token (whose id is only in the message body)
     * @throws IllegalArgumentException if the token is not a valid encoding
     */
    public static Optional<String> decodeActorToken(String token) {
        if (token.startsWith(HASH_MARKER)) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '_') {
                if (i + 2 >= token.length() || !isUpperHex(token.charAt(i + 1)) || !isUpperHex(token.charAt(i + 2))) {
                    throw new IllegalArgumentException("token '" + token + "' has '_' at " + i
                            + " not followed by two upper-case hex digits");
                }
                bytes.write(HexFormat.fromHexDigits(token, i + 1, i + 3));
                i += 2;
            } else if (isPlain(c)) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("token '" + token + "' has a character outside [A-Za-z0-9_-]");
            }
        }
        return Optional.of(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    }

    /** @return the low {@code count} bits of {@code value}, least significant first, each as a token and a dot */
    private static String bitTokens(int value, int count) {
        StringBuilder out = new StringBuilder(2 * count);
        for (int bit = 0; bit < count; bit++) {
            out.append((value >>> bit) & 1).append('.');
        }
        return out.toString();
    }

    private static SubjectLayout requireLayout(SubjectLayout layout) {
        return Objects.requireNonNull(layout, "subjectLayout must not be null");
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (isPlain(c)) {
                out.append(c);
            } else {
                out.append('_').append(UPPER_HEX.toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    private static boolean isPlain(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static String checkedName(String name, String namespace) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("namespace '" + namespace + "' gives the JetStream name '" + name
                    + "' of " + name.length() + " characters, above the limit of " + MAX_NAME_LENGTH
                    + ": use a shorter namespace or stream prefix");
        }
        return name;
    }
}

package dev.aether.test;

import dev.aether.ActorId;
import dev.aether.ActorSnapshot;
import dev.aether.Event;
import dev.aether.SnapshotStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Properties every {@link SnapshotStore} keeps for arbitrary and hostile input, checked by jqwik with
 * generated values ({@value #TRIES} tries per property; a failure is shrunk to a small counterexample,
 * which then becomes an ordinary test in {@link EventStoreContract} or the store's own tests).
 *
 * <ul>
 *   <li>Any valid actor id (any Unicode, control characters, separators, up to {@link ActorId#MAX_LENGTH}
 *       characters), event type, metadata and JSON-compatible data read back exactly.</li>
 *   <li>Values that are not JSON-compatible are refused naming where they are, and nothing is stored.</li>
 *   <li>An event of any size is stored whole or refused whole, naming the size limit.</li>
 *   <li>Actor ids built to address subjects ({@code >}, {@code *}, {@code .}, {@code $JS.API.>}, {@code _H…},
 *       {@code %}, escape sequences) never read or write another actor's events or snapshot, nor another
 *       namespace's.</li>
 * </ul>
 *
 * <p>Extend it and implement {@link #createStore(String)}. jqwik runs it as its own JUnit Platform engine,
 * so JUnit Jupiter extensions do not apply: start what the store needs in a static {@code @BeforeContainer}
 * method and stop it in {@code @AfterContainer}. Every try uses fresh actor ids or saves above the
 * actor's latest version, so a store may be shared between tries and properties.
 */
public abstract class SnapshotStoreProperties {

    /** Tries per property: enough to reach the rare shapes, few enough for a real server in CI. */
    public static final int TRIES = 200;

    /**
     * Events in {@link #anEventOfAnySizeIsStoredWholeOrRefusedWhole} carry up to twice this many bytes: run the
     * store's server with a message size limit of this size, so that about half of them are above it.
     */
    public static final int PAYLOAD_PROBE_BYTES = 64 * 1024;

    private static final String NAMESPACE = "props";
    private static final String OTHER_NAMESPACE = "props.other";
    /** Pieces that mean something to NATS subjects, to Aether's token encoding, or to header encoding. */
    private static final List<String> HOSTILE_PIECES = List.of(">", "*", ".", "..", " ", "$JS.API.>",
            "$JS.API.STREAM.INFO.*", "$KV.>", "_H", "_H0a1b", "_2E", "_2e", "_", "__", "%", "%2E", "%25", "-",
            "\u0000", "\r\n", "\t", "é", "😀", ":", "AETHER", "props", "other");

    private SnapshotStore store;
    private SnapshotStore otherNamespace;

    /**
     * @param namespace a namespace (a JetStream store has one stream per namespace; an in-memory store may
     *                  return a separate instance per namespace)
     * @return the store under test for that namespace; called before each property
     */
    protected abstract SnapshotStore createStore(String namespace);

    @BeforeProperty
    void createStores() {
        store = createStore(NAMESPACE);
        otherNamespace = createStore(OTHER_NAMESPACE);
    }

    @Property(tries = TRIES)
    void anyValidEventReadsBackExactly(@ForAll("events") Event event) {
        // Event ids are unique within an actor, and the generator repeats ids and actors across tries.
        Event saved = event.toBuilder().id(event.id() + " " + UUID.randomUUID())
                .version(store.getLatestVersion(event.actorId()) + 1).build();

        store.saveEvent(saved);

        assertThat(store.getEvents(saved.actorId(), saved.version())).containsExactly(saved);
        assertThat(store.getLatestVersion(saved.actorId())).isEqualTo(saved.version());
    }

    @Property(tries = TRIES)
    void anyValidSnapshotReadsBackExactly(@ForAll("actorIds") String actorId, @ForAll("jsonObjects") Map<String, Object> state) {
        ActorSnapshot snapshot = new ActorSnapshot(actorId, nextSnapshotVersion(store, actorId), state,
                Instant.now().truncatedTo(ChronoUnit.MICROS));

        store.saveSnapshot(snapshot);

        assertThat(store.getLatestSnapshot(actorId)).contains(snapshot);
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.FULL)
    void idsBuiltToAddressSubjectsNeverReachAnotherActor(@ForAll("hostileIdPairs") List<String> ids) {
        String mine = ids.get(0);
        String theirs = ids.get(1);
        String marker = UUID.randomUUID().toString();
        long version = store.getLatestVersion(mine) + 1;
        Event event = Event.builder().eventType("Probe").actorId(mine).version(version)
                .data(Map.of("marker", marker)).build();
        ActorSnapshot snapshot = new ActorSnapshot(mine, nextSnapshotVersion(store, mine), Map.of("marker", marker));

        store.saveEvent(event);
        store.saveSnapshot(snapshot);

        assertThat(store.getEvents(mine, version)).containsExactly(event);
        assertThat(store.getLatestSnapshot(mine)).contains(snapshot);
        assertThat(store.getEvents(theirs, 0)).as("events of %s", theirs)
                .allSatisfy(e -> assertThat(e.actorId()).isEqualTo(theirs))
                .noneSatisfy(e -> assertThat(e.data()).containsValue(marker));
        assertThat(store.getLatestSnapshot(theirs).map(ActorSnapshot::actorId)).as("snapshot of %s", theirs)
                .isIn(Optional.empty(), Optional.of(theirs));
        assertThat(otherNamespace.getEvents(mine, 0)).as("events of %s in another namespace", mine)
                .noneSatisfy(e -> assertThat(e.data()).containsValue(marker));
        assertThat(otherNamespace.getLatestSnapshot(mine).map(ActorSnapshot::state).orElse(Map.of()))
                .as("snapshot of %s in another namespace", mine).doesNotContainValue(marker);
    }

    @Property(tries = TRIES)
    void valuesThatAreNotJsonAreRefusedNamingWhereAndNothingIsStored(@ForAll("jsonObjects") Map<String, Object> data,
                                                                     @ForAll("notJson") Object bad,
                                                                     @ForAll boolean nested) {
        String actor = "not-json-" + UUID.randomUUID();
        Map<String, Object> poisoned = new LinkedHashMap<>(data);
        poisoned.put("bad", nested ? List.of(1, Map.of("deep", bad)) : bad);
        String where = nested ? "data.bad[1].deep" : "data.bad";

        assertThatThrownBy(() -> store.saveEvent(Event.builder().eventType("T").actorId(actor).version(1)
                .data(poisoned).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(where);
        assertThatThrownBy(() -> store.saveSnapshot(new ActorSnapshot(actor, 1, poisoned)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(where.replace("data", "state"));
        assertThat(store.getLatestVersion(actor)).isZero();
        assertThat(store.getLatestSnapshot(actor)).isEmpty();
    }

    /**
     * An event of any size either reads back whole or is refused whole (a store with a message size limit
     * refuses it naming the limit, {@code max_payload} on NATS), and the actor beside it is unaffected.
     */
    @Property(tries = TRIES / 4)
    void anEventOfAnySizeIsStoredWholeOrRefusedWhole(@ForAll @IntRange(max = 2 * PAYLOAD_PROBE_BYTES) int size) {
        String actor = "sized-" + UUID.randomUUID();
        String neighbour = actor + ".neighbour";
        store.saveEvent(Event.builder().eventType("Small").actorId(neighbour).version(1).build());
        Event event = Event.builder().eventType("Sized").actorId(actor).version(1)
                .data(Map.of("blob", "x".repeat(size))).build();

        try {
            store.saveEvent(event);
            assertThat(store.getEvents(actor, 0)).containsExactly(event);
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessageContaining("max_payload").hasMessageContaining("nothing was written");
            assertThat(store.getLatestVersion(actor)).isZero();
        }
        store.saveEvent(Event.builder().eventType("Small").actorId(neighbour).version(2).build());
        assertThat(store.getEvents(neighbour, 0)).extracting(Event::version).containsExactly(1L, 2L);
    }

    private static long nextSnapshotVersion(SnapshotStore store, String actorId) {
        Optional<ActorSnapshot> latest = store.getLatestSnapshot(actorId);
        return latest.map(s -> s.version() + 1).orElse(1L);
    }

    @Provide
    Arbitrary<Event> events() {
        Arbitrary<Instant> timestamps = Arbitraries.longs().between(0, 4_102_444_800_000_000L)
                .map(micros -> Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
        return Combinators.combine(labels(Event.MAX_ID_LENGTH), labels(Event.MAX_EVENT_TYPE_LENGTH), actorIds(),
                        jsonObjects(), metadata(), timestamps)
                .as((id, type, actor, data, metadata, timestamp) -> Event.builder().id(id).eventType(type)
                        .actorId(actor).version(1).data(data).metadata(metadata).timestamp(timestamp).build());
    }

    /** @return any actor id {@link ActorId} accepts: any characters, mostly short, sometimes the longest */
    @Provide
    Arbitrary<String> actorIds() {
        Arbitrary<String> any = text(1, 40);
        Arbitrary<String> longest = text(ActorId.MAX_LENGTH / 2, ActorId.MAX_LENGTH)
                .filter(id -> id.length() <= ActorId.MAX_LENGTH);
        return Arbitraries.frequencyOf(Tuple.of(8, any), Tuple.of(1, hostileIds()),
                        Tuple.of(1, longest))
                .filter(id -> !id.isBlank());
    }

    /** @return values an event's data or a snapshot's state must refuse */
    @Provide
    Arbitrary<Object> notJson() {
        return Arbitraries.of(Instant.EPOCH, new BigDecimal("9.99"), Double.NaN, Double.NEGATIVE_INFINITY, Float.NaN,
                new Object(), Map.of(1, "x"), 'c', new int[0], Optional.empty(), "lone \uD800", UUID.randomUUID());
    }

    /** @return two different actor ids made of pieces that mean something to subjects or encodings */
    @Provide
    Arbitrary<List<String>> hostileIdPairs() {
        return hostileIds().list().ofSize(2).uniqueElements();
    }

    private static Arbitrary<String> hostileIds() {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of(HOSTILE_PIECES),
                Arbitraries.strings().withCharRange('a', 'c').ofMinLength(1).ofMaxLength(3));
        return piece.list().ofMinSize(1).ofMaxSize(6).map(pieces -> String.join("", pieces))
                .filter(id -> !id.isBlank() && id.length() <= ActorId.MAX_LENGTH);
    }

    /**
     * Well-formed Unicode text of {@code min} to {@code max} code points from the whole range (control
     * characters, separators, every plane), unpaired surrogates excepted: Aether refuses those.
     */
    private static Arbitrary<String> text(int min, int max) {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(3, Arbitraries.integers().between(0x80, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)))
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        return codePoints.list().ofMinSize(min).ofMaxSize(max)
                .map(list -> new String(list.stream().mapToInt(Integer::intValue).toArray(), 0, list.size()));
    }

    /** Event ids and types: non-blank, no control characters, at most {@code maxLength} characters. */
    private static Arbitrary<String> labels(int maxLength) {
        return text(1, Math.min(maxLength, 40)).filter(s -> !s.isBlank() && s.chars().noneMatch(Character::isISOControl));
    }

    private static Arbitrary<Map<String, String>> metadata() {
        Arbitrary<String> keys = text(1, 12).filter(k -> !k.isBlank());
        return Arbitraries.maps(keys, text(0, 20)).ofMaxSize(4);
    }

    /** @return JSON objects nested up to three levels, holding every kind of JSON-compatible value */
    @Provide
    Arbitrary<Map<String, Object>> jsonObjects() {
        return jsonObject(3);
    }

    private static Arbitrary<Map<String, Object>> jsonObject(int depth) {
        return Arbitraries.maps(text(0, 12), jsonValue(depth)).ofMaxSize(4)
                .map(LinkedHashMap::new);
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<Object> jsonValue(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(true, false),
                Arbitraries.integers().map(Object.class::cast),
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                        .map(Object.class::cast),
                Arbitraries.doubles().map(Object.class::cast),
                text(0, 30).map(Object.class::cast));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalar),
                Tuple.of(1, Arbitraries.lazy(() -> jsonValue(depth - 1)).list().ofMaxSize(4)
                        .map(Object.class::cast)),
                Tuple.of(1, Arbitraries.lazy(() -> jsonObject(depth - 1)).map(Object.class::cast)));
    }
}

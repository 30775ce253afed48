package dev.aether.snapshot;

import dev.aether.ActorSnapshot;
import dev.aether.DataMapper;
import dev.aether.Event;
import dev.aether.SnapshotStore;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Loads an actor as its latest usable snapshot plus the events after it, and saves snapshots when a
 * {@link SnapshotPolicy} says so, so that callers do not write this loop themselves.
 *
 * <p>The state is a record or POJO, kept in the snapshot through a {@link DataMapper} together with the
 * state's schema version: {@code {"stateVersion": 2, "state": {...}}}. A snapshot with another state
 * version, or not written by an {@code ActorLoader}, is ignored: the actor is rebuilt from its first
 * event, and the next snapshot saved replaces it. Raise {@link Builder#stateVersion(int)} whenever the
 * state's shape changes.
 *
 * <pre>{@code
 * ActorLoader<Account> accounts = ActorLoader.builder(store, Account.class)
 *         .initialState(Account::initial).fold(Account::apply)
 *         .stateVersion(2).policy(SnapshotPolicy.everyEvents(100))
 *         .build();
 * LoadedActor<Account> account = accounts.load("account-42");
 * }</pre>
 *
 * <p>Reads and writes go to the store given; pass an {@code UpcastingEventStore} to fold events at
 * today's schema version. Failures of the store, including of a snapshot save, surface as they are.
 *
 * @param <S> the state's class
 */
public final class ActorLoader<S> {

    /** The snapshot-state key of the state's schema version. */
    public static final String STATE_VERSION = "stateVersion";
    /** The snapshot-state key of the state itself. */
    public static final String STATE = "state";
    /** The policy of a builder that was given none: a snapshot every 100 versions. */
    public static final SnapshotPolicy DEFAULT_POLICY = SnapshotPolicy.everyEvents(100);

    private final SnapshotStore store;
    private final Class<S> stateType;
    private final Function<String, S> initialState;
    private final BiFunction<S, Event, S> fold;
    private final int stateVersion;
    private final SnapshotPolicy policy;
    private final DataMapper mapper;
    private final LongSupplier nanoTime;

    private ActorLoader(Builder<S> builder) {
        this.store = builder.store;
        this.stateType = builder.stateType;
        this.initialState = Objects.requireNonNull(builder.initialState, "initialState must be set");
        this.fold = Objects.requireNonNull(builder.fold, "fold must be set");
        this.stateVersion = builder.stateVersion;
        this.policy = builder.policy;
        this.mapper = builder.mapper;
        this.nanoTime = builder.nanoTime;
    }

    /**
     * @param store     where the events and snapshots are
     * @param stateType the state's class, converted to and from snapshots by the {@link DataMapper}
     * @param <S>       the state's class
     * @return a builder; {@link Builder#initialState} and {@link Builder#fold} must be set
     */
    public static <S> Builder<S> builder(SnapshotStore store, Class<S> stateType) {
        return new Builder<>(store, stateType);
    }

    /**
     * Rebuilds an actor from its latest usable snapshot and the events after it, then saves a snapshot
     * of the result if the policy says so.
     *
     * @param actorId the actor
     * @return the state; at version 0 with the initial state when the actor has no events
     * @throws IllegalArgumentException          if {@code actorId} is malformed
     * @throws dev.aether.StoreUnavailableException if the store could not be reached
     */
    public LoadedActor<S> load(String actorId) {
        long started = nanoTime.getAsLong();
        Optional<ActorSnapshot> snapshot = store.getLatestSnapshot(actorId).filter(this::isCurrent);
        S state = snapshot.map(this::stateOf).orElseGet(() -> initialState.apply(actorId));
        long snapshotVersion = snapshot.map(ActorSnapshot::version).orElse(0L);
        List<Event> events = store.getEvents(actorId, snapshotVersion + 1);
        Folded<S> folded = foldAll(state, snapshotVersion, events);
        Duration took = Duration.ofNanos(nanoTime.getAsLong() - started);
        return decide(new LoadedActor<>(actorId, folded.state, folded.version, snapshotVersion, events.size()), took);
    }

    /**
     * Folds events the caller has just saved into a loaded state, then saves a snapshot if the policy
     * says so. The events are not saved here.
     *
     * @param current a state from {@link #load} or an earlier call
     * @param saved   the events saved after {@code current.version()}, ascending, of the same actor
     * @return the state after the events
     * @throws IllegalArgumentException if an event is of another actor or not above the version before it
     */
    public LoadedActor<S> afterSave(LoadedActor<S> current, List<Event> saved) {
        for (Event event : saved) {
            if (!event.actorId().equals(current.actorId())) {
                throw new IllegalArgumentException("event " + event.id() + " is of actor " + event.actorId()
                        + ", not " + current.actorId());
            }
        }
        Folded<S> folded = foldAll(current.state(), current.version(), saved);
        return decide(new LoadedActor<>(current.actorId(), folded.state, folded.version, current.snapshotVersion(), 0),
                Duration.ZERO);
    }

    /**
     * Saves one actor's events atomically ({@link SnapshotStore#saveEvents}) and then folds them in as
     * {@link #afterSave} does. Versions stay the caller's: the events carry them, normally from
     * {@code current.version() + 1}.
     *
     * @param current a state from {@link #load} or an earlier call
     * @param events  the new events of the same actor, ascending
     * @return the state after the events
     * @throws dev.aether.VersionConflictException if another writer saved the first version first; nothing is stored
     */
    public LoadedActor<S> append(LoadedActor<S> current, List<Event> events) {
        store.saveEvents(events);
        return afterSave(current, events);
    }

    /**
     * @param actorId the actor
     * @param version the version of the last event folded into {@code state}
     * @param state   the state
     * @return the snapshot this loader saves for that state, with its state version
     */
    public ActorSnapshot snapshotOf(String actorId, long version, S state) {
        return new ActorSnapshot(actorId, version,
                Map.of(STATE_VERSION, stateVersion, STATE, mapper.toData(state, STATE)));
    }

    private LoadedActor<S> decide(LoadedActor<S> loaded, Duration took) {
        if (loaded.version() == loaded.snapshotVersion() || !policy.shouldSave(new SnapshotProgress(
                loaded.actorId(), loaded.version(), loaded.snapshotVersion(), loaded.eventsReplayed(), took))) {
            return loaded;
        }
        store.saveSnapshot(snapshotOf(loaded.actorId(), loaded.version(), loaded.state()));
        return new LoadedActor<>(loaded.actorId(), loaded.state(), loaded.version(), loaded.version(),
                loaded.eventsReplayed());
    }

    private Folded<S> foldAll(S state, long version, List<Event> events) {
        for (Event event : events) {
            if (event.version() <= version) {
                throw new IllegalArgumentException("event " + event.id() + " has version " + event.version()
                        + ", not above " + version);
            }
            state = Objects.requireNonNull(fold.apply(state, event), "fold returned null");
            version = event.version();
        }
        return new Folded<>(state, version);
    }

    private boolean isCurrent(ActorSnapshot snapshot) {
        return snapshot.state().get(STATE_VERSION) instanceof Number version && version.longValue() == stateVersion
                && snapshot.state().get(STATE) instanceof Map;
    }

    @SuppressWarnings("unchecked")
    private S stateOf(ActorSnapshot snapshot) {
        return mapper.fromData((Map<String, ?>) snapshot.state().get(STATE), stateType, STATE);
    }

    private record Folded<S>(S state, long version) {
    }

    /**
     * Configures an {@link ActorLoader}.
     *
     * @param <S> the state's class
     */
    public static final class Builder<S> {
        private final SnapshotStore store;
        private final Class<S> stateType;
        private Function<String, S> initialState;
        private BiFunction<S, Event, S> fold;
        private int stateVersion = 1;
        private SnapshotPolicy policy = DEFAULT_POLICY;
        private DataMapper mapper = DataMapper.defaults();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder(SnapshotStore store, Class<S> stateType) {
            this.store = Objects.requireNonNull(store, "store must not be null");
            this.stateType = Objects.requireNonNull(stateType, "stateType must not be null");
        }

        /** @param initialState the state of an actor before its first event, by actor id @return this builder */
        public Builder<S> initialState(Function<String, S> initialState) {
            this.initialState = Objects.requireNonNull(initialState, "initialState must not be null");
            return this;
        }

        /** @param fold the state after one more event; never null @return this builder */
        public Builder<S> fold(BiFunction<S, Event, S> fold) {
            this.fold = Objects.requireNonNull(fold, "fold must not be null");
            return this;
        }

        /**
         * @param stateVersion the schema version of the state's shape, at least 1; 1 unless set. Snapshots
         *                     of any other version are ignored
         * @return this builder
         */
        public Builder<S> stateVersion(int stateVersion) {
            if (stateVersion < 1) {
                throw new IllegalArgumentException("stateVersion must be at least 1, was " + stateVersion);
            }
            this.stateVersion = stateVersion;
            return this;
        }

        /** @param policy when to save a snapshot; {@link #DEFAULT_POLICY} unless set @return this builder */
        public Builder<S> policy(SnapshotPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy must not be null");
            return this;
        }

        /** @param mapper converts the state to and from snapshots; {@link DataMapper#defaults()} unless set @return this builder */
        public Builder<S> mapper(DataMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
            return this;
        }

        /**
         * @param nanoTime the source of {@link SnapshotProgress#replayTime()}, in nanoseconds;
         *                 {@code System::nanoTime} unless set (tests pass a fake)
         * @return this builder
         */
        public Builder<S> nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime must not be null");
            return this;
        }

        /** @return the loader @throws NullPointerException if the initial state or the fold is not set */
        public ActorLoader<S> build() {
            return new ActorLoader<>(this);
        }
    }
}

package dev.aether.memory;

import dev.aether.ActorPartitions;
import dev.aether.Event;
import dev.aether.PartitionAware;
import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.LagAware;
import dev.aether.Namespace;
import dev.aether.NamespacePattern;
import dev.aether.ParkedEvent;
import dev.aether.ParkedEvents;
import dev.aether.StartPosition;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionLag;
import dev.aether.SubscriptionOptions;
import dev.aether.spi.ActorOrderedDelivery;
import dev.aether.spi.SubscribeArguments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link EventSubscriptions} over in-memory stores, for tests and the embedded default. Every event
 * saved through a store from {@link #store(String)} is appended to one log (positions 1, 2, ...) that
 * the subscriptions read; nothing needs to be published separately.
 *
 * <pre>{@code
 * InMemoryEventSubscriptions subscriptions = new InMemoryEventSubscriptions();
 * EventStore orders = subscriptions.store("tenant-a.orders");
 * subscriptions.subscribe("tenant-a.*", SubscriptionFilter.all(), handler,
 *         SubscriptionOptions.builder().durableName("projector").build());
 * }</pre>
 *
 * <p>Semantics match the JetStream implementation within one JVM: a durable subscription's position
 * is kept (in this object) after it closes and resumes with the first event not yet handled;
 * subscriptions sharing a durable name share the events (an actor's events go to one member while
 * membership stays the same; with {@link SubscriptionOptions#partitions()} above 1, partition {@code p}
 * of {@link ActorPartitions} goes to member {@code p mod members}, and this one process owns every
 * partition); a failing event is retried with the back-off of the options and, after
 * {@link SubscriptionOptions#maxDeliveries()} deliveries, parked (see {@link ParkedEvents}: listed,
 * replayed, discarded) and logged at ERROR. Subscriptions are {@link LagAware}. Nothing survives the JVM. At most {@value #MAX_IN_FLIGHT} events per subscription
 * wait unhandled in memory; reading pauses beyond that.
 */
public final class InMemoryEventSubscriptions implements EventSubscriptions, ParkedEvents, AutoCloseable {

    /** How many read but unhandled events one subscription (or durable group) holds at most. */
    public static final int MAX_IN_FLIGHT = 1_000;

    private static final AtomicInteger ANONYMOUS = new AtomicInteger();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Entry> log = new ArrayList<>();
    private final Map<String, Group> durableGroups = new HashMap<>();
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final Map<String, InMemoryEventStore> stores = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, ParkedEvent> parked = new ConcurrentSkipListMap<>();
    private final Set<Long> replaying = ConcurrentHashMap.newKeySet();
    private final AtomicLong parkedIds = new AtomicLong();
    private volatile boolean closed;

    /** Creates subscriptions with an empty log. */
    public InMemoryEventSubscriptions() {
    }

    /**
     * @param namespace a namespace
     * @return the store of that namespace (the same instance on every call), whose saves reach the subscriptions
     */
    public InMemoryEventStore store(String namespace) {
        Namespace.requireValid(namespace);
        return stores.computeIfAbsent(namespace, ns -> new InMemoryEventStore(event -> append(ns, event)));
    }

    /** @return the events parked by every subscription and not replayed or discarded, oldest first */
    public List<ParkedEvent> parkedEvents() {
        return List.copyOf(parked.values());
    }

    @Override
    public List<ParkedEvent> parkedEvents(String subscription) {
        SubscribeArguments.checkSubscriptionName(subscription);
        return parked.values().stream().filter(p -> p.subscription().equals(subscription)).toList();
    }

    @Override
    public long parkedCount(String subscription) {
        return parkedEvents(subscription).size();
    }

    @Override
    public int replayParked(String subscription) {
        Member member = runningMember(subscription);
        int handedOver = 0;
        for (ParkedEvent event : parkedEvents(subscription)) {
            if (replay(member, event)) {
                handedOver++;
            }
        }
        return handedOver;
    }

    @Override
    public boolean replayParked(String subscription, long id) {
        Member member = runningMember(subscription);
        ParkedEvent event = parked.get(id);
        return event != null && event.subscription().equals(subscription) && replay(member, event);
    }

    @Override
    public long discardParked(String subscription) {
        long discarded = 0;
        for (ParkedEvent event : parkedEvents(subscription)) {
            if (parked.remove(event.id(), event)) {
                discarded++;
            }
        }
        return discarded;
    }

    @Override
    public boolean discardParked(String subscription, long id) {
        SubscribeArguments.checkSubscriptionName(subscription);
        ParkedEvent event = parked.get(id);
        return event != null && event.subscription().equals(subscription) && parked.remove(id, event);
    }

    /** @throws IllegalStateException if no subscription of that name is open */
    private Member runningMember(String subscription) {
        SubscribeArguments.checkSubscriptionName(subscription);
        for (Member member : members) {
            if (member.group.name.equals(subscription)) {
                return member;
            }
        }
        throw new IllegalStateException("No subscription '" + subscription + "' runs here: start it, then replay "
                + "its parked events");
    }

    /** Hands a parked event to a member's delivery loop, unless it is being replayed already. */
    private boolean replay(Member member, ParkedEvent event) {
        if (!replaying.add(event.id())) {
            return false;
        }
        member.delivery.submit(event.namespace(), event.event(), 1, new ActorOrderedDelivery.Acknowledger() {
            @Override
            public void handled() {
                parked.remove(event.id());
                replaying.remove(event.id());
            }

            @Override
            public void exhausted(int deliveries, Throwable failure) {
                // parked again only if nobody discarded it meanwhile
                if (parked.remove(event.id()) != null) {
                    park(event.subscription(), event.namespace(), event.event(), event.position(), deliveries, failure);
                }
                replaying.remove(event.id());
            }

            @Override
            public void released() {
                replaying.remove(event.id());
            }
        });
        return true;
    }

    private void park(String subscription, String namespace, Event event, long position, int deliveries,
                      Throwable failure) {
        long id = parkedIds.incrementAndGet();
        parked.put(id, new ParkedEvent(id, subscription, namespace, event, position, deliveries,
                ParkedEvent.describe(failure), Instant.now()));
    }

    @Override
    public Subscription subscribe(String namespacePattern, SubscriptionFilter filter, EventHandler handler,
                                  SubscriptionOptions options) {
        NamespacePattern pattern = SubscribeArguments.check(namespacePattern, filter, handler, options);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the subscriptions are closed");
            }
            Group group;
            if (options.durableName() == null) {
                group = new Group("anonymous-" + ANONYMOUS.incrementAndGet(), pattern, startOf(options.startPosition()), 1);
            } else {
                group = durableGroups.computeIfAbsent(options.durableName(),
                        name -> new Group(name, pattern, startOf(options.startPosition()), options.partitions()));
                if (group.partitions != options.partitions()) {
                    throw new IllegalArgumentException("partitions: durableName '" + options.durableName()
                            + "' is already used with " + group.partitions + " partition(s), not " + options.partitions()
                            + "; the partition count of a group cannot change");
                }
                if (!group.pattern.equals(pattern)) {
                    throw new IllegalArgumentException("durableName '" + options.durableName()
                            + "' is already used with namespacePattern '" + group.pattern.value() + "', not '"
                            + pattern.value() + "'");
                }
            }
            Member member = new Member(group, filter, new ActorOrderedDelivery(group.name, handler, options));
            members.add(member);
            group.join(member);
            return member;
        } finally {
            lock.unlock();
        }
    }

    /** Closes every subscription; durable positions stay in this object. */
    @Override
    public void close() {
        List<Member> open;
        lock.lock();
        try {
            // under the lock, so that no subscribe() in progress adds a member after the copy
            closed = true;
            open = List.copyOf(members);
        } finally {
            lock.unlock();
        }
        for (Member member : open) {
            member.close();
        }
    }

    private long startOf(StartPosition start) {
        if (start instanceof StartPosition.AtPosition at) {
            return at.position();
        }
        return start == StartPosition.beginning() ? 1 : log.size() + 1L;
    }

    private void append(String namespace, Event event) {
        lock.lock();
        try {
            log.add(new Entry(log.size() + 1L, namespace, event));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private record Entry(long position, String namespace, Event event) {
    }

    /** The readers of one position: a durable name, or one non-durable subscription. Guarded by {@link #lock}. */
    private final class Group {
        final String name;
        final NamespacePattern pattern;
        final int partitions;
        final List<Member> active = new ArrayList<>();
        final Set<Long> doneAboveFloor = new HashSet<>();
        long floor;
        long cursor;
        int inFlight;
        Thread reader;

        Group(String name, NamespacePattern pattern, long start, int partitions) {
            this.name = name;
            this.pattern = pattern;
            this.partitions = partitions;
            this.floor = start;
            this.cursor = start;
        }

        void join(Member member) {
            active.add(member);
            if (reader == null) {
                cursor = floor;
                reader = new Thread(this::read, "aether-memory-reader-" + name);
                reader.setDaemon(true);
                reader.start();
            }
            changed.signalAll();
        }

        void leave(Member member) {
            active.remove(member);
            changed.signalAll();
        }

        private void read() {
            lock.lock();
            try {
                while (!active.isEmpty()) {
                    if (cursor > log.size() || inFlight >= MAX_IN_FLIGHT) {
                        changed.awaitUninterruptibly();
                        continue;
                    }
                    Entry entry = log.get((int) (cursor - 1));
                    cursor++;
                    if (entry.position < floor || doneAboveFloor.contains(entry.position)) {
                        continue;
                    }
                    if (!pattern.matches(entry.namespace)) {
                        markDone(entry.position);
                        continue;
                    }
                    dispatch(entry, 1);
                }
                reader = null;
            } finally {
                lock.unlock();
            }
        }

        private void dispatch(Entry entry, int attempt) {
            int slot;
            if (partitions > 1) {
                // as on JetStream: partition p goes to member p mod members
                slot = ActorPartitions.partitionOf(entry.event.actorId(), partitions) % active.size();
            } else {
                slot = Math.floorMod((entry.namespace + '\u0000' + entry.event.actorId()).hashCode(), active.size());
            }
            Member member = active.get(slot);
            if (!member.filter.matches(entry.event)) {
                markDone(entry.position);
                return;
            }
            inFlight++;
            member.delivery.submit(entry.namespace, entry.event, attempt, new ActorOrderedDelivery.Acknowledger() {
                @Override
                public void handled() {
                    finished(entry);
                }

                @Override
                public void exhausted(int deliveries, Throwable failure) {
                    park(name, entry.namespace, entry.event, entry.position, deliveries, failure);
                    finished(entry);
                }

                @Override
                public void released() {
                    lock.lock();
                    try {
                        inFlight--;
                        if (!active.isEmpty()) {
                            dispatch(entry, 1);
                        }
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            });
        }

        private void finished(Entry entry) {
            lock.lock();
            try {
                inFlight--;
                markDone(entry.position);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Events of matching namespaces not read yet, and events read and not finished. */
        SubscriptionLag lag() {
            long pending = 0;
            for (long position = cursor; position <= log.size(); position++) {
                if (!doneAboveFloor.contains(position) && pattern.matches(log.get((int) (position - 1)).namespace)) {
                    pending++;
                }
            }
            return new SubscriptionLag(pending, inFlight);
        }

        private void markDone(long position) {
            if (position != floor) {
                doneAboveFloor.add(position);
                return;
            }
            floor++;
            while (doneAboveFloor.remove(floor)) {
                floor++;
            }
        }
    }

    private final class Member implements Subscription, LagAware, PartitionAware {
        final Group group;
        final SubscriptionFilter filter;
        final ActorOrderedDelivery delivery;
        private volatile boolean open = true;

        Member(Group group, SubscriptionFilter filter, ActorOrderedDelivery delivery) {
            this.group = group;
            this.filter = filter;
            this.delivery = delivery;
        }

        /**
         * The lag of the subscription's position: events of matching namespaces saved and not read yet
         * (events the filter skips count until read), and events read and not yet handled or parked.
         * With a shared durable name, the whole group's.
         */
        @Override
        public Optional<SubscriptionLag> lag() {
            lock.lock();
            try {
                return open ? Optional.of(group.lag()) : Optional.empty();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int partitionCount() {
            return group.partitions;
        }

        /** The partitions routed to this member: {@code p} with {@code p mod members} its place in the group. */
        @Override
        public List<Integer> ownedPartitions() {
            lock.lock();
            try {
                int index = group.active.indexOf(this);
                List<Integer> owned = new ArrayList<>();
                if (!open || index < 0) {
                    return owned;
                }
                for (int p = index; p < group.partitions; p += group.active.size()) {
                    owned.add(p);
                }
                return owned;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!open) {
                    return;
                }
                open = false;
                group.leave(this);
                members.remove(this);
            } finally {
                lock.unlock();
            }
            delivery.close();
        }
    }
}

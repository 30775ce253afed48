package dev.aether.jetstream;

import dev.aether.AetherException;
import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.EventHandler;
import dev.aether.Namespace;
import dev.aether.NamespacePattern;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.spi.BusSubscriptions;
import dev.aether.spi.SubscribeArguments;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EventBus} over core NATS: live, at most once, across every process connected to the same
 * NATS system.
 *
 * <p>An event published in namespace {@code ns} goes to subject {@code <streamPrefix>_bus.ns}
 * ({@code AETHER_bus.ns} by default) as the JSON of {@link EventCodec}. Store subjects start with the
 * bare stream prefix, which never contains {@code _} ({@link SubjectCodec}), so no event stream's
 * subjects cover the bus and no stream stores a bus message. A subscription's namespace pattern maps token for token onto a NATS subject pattern
 * ({@code *} and {@code >} mean the same in both); the event-type and actor filter is applied on
 * arrival. Each subscription has a dispatcher thread of its own: it receives its events in the order
 * one publisher sent them, and a slow or throwing handler holds up no other subscription. A handler's
 * exception is logged and counted ({@link #handlerFailures()}). A subscription whose handler falls
 * so far behind that jnats's pending limits are exceeded loses events; jnats reports it to the
 * connection's {@code ErrorListener} as a slow consumer, and {@link #droppedEvents()} counts them.
 *
 * <p>Events published through this bus reach its own subscribers exactly once, through the server
 * (so the connection must not set {@code noEcho}); nothing is handed over locally as well. Events
 * published while the connection is reconnecting are buffered by jnats and may be lost; subscribers
 * that were disconnected miss what was published meanwhile. Use
 * {@link JetStreamEventSubscriptions} when no stored event may be missed.
 *
 * <p>The caller owns the {@link Connection}; {@link #close()} closes the subscriptions, not the connection.
 */
public final class NatsEventBus implements EventBus {

    /** Appended to the stream prefix to form the first subject token of the bus. */
    public static final String SUBJECT_SUFFIX = SubjectCodec.BUS_SUFFIX;

    private static final Logger LOG = System.getLogger(NatsEventBus.class.getName());
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final Connection connection;
    private final String streamPrefix;
    private final String subjectPrefix;
    private final EventCodec codec = new EventCodec();
    private final BusSubscriptions<BusSubscription> subscriptions = new BusSubscriptions<>();
    private final AtomicLong droppedByClosed = new AtomicLong();

    /**
     * A bus on subjects {@code AETHER_bus.<namespace>}, beside stores with the default stream prefix.
     *
     * @param connection the NATS connection, owned by the caller; it must not set {@code noEcho}
     */
    public NatsEventBus(Connection connection) {
        this(connection, SubjectCodec.DEFAULT_PREFIX);
    }

    /**
     * @param connection   the NATS connection, owned by the caller; it must not set {@code noEcho}
     * @param streamPrefix the stream prefix of the stores beside it (see {@link SubjectCodec}); the bus
     *                     uses subjects {@code <streamPrefix>_bus.<namespace>}
     */
    public NatsEventBus(Connection connection, String streamPrefix) {
        this.connection = Objects.requireNonNull(connection, "connection must not be null");
        this.streamPrefix = SubjectCodec.requireValidPrefix(streamPrefix);
        this.subjectPrefix = SubjectCodec.busSubjectPrefix(streamPrefix);
        if (connection.getOptions().isNoEcho()) {
            throw new IllegalArgumentException("connection must not set noEcho: the bus delivers events to "
                    + "this process's own subscribers through the server");
        }
    }

    /**
     * Publishes the event on {@code <streamPrefix>_bus.<namespace>}; returns once jnats has queued it.
     *
     * @throws AetherException if the connection is closed or its outgoing buffer is full
     */
    @Override
    public void publish(String namespace, Event event) {
        Namespace.requireValid(namespace);
        Objects.requireNonNull(event, "event must not be null");
        subscriptions.requireOpen();
        byte[] body = codec.encode(event);
        try {
            connection.publish(SubjectCodec.busSubject(streamPrefix, namespace), body);
        } catch (IllegalStateException e) {
            throw new AetherException("could not publish event " + event.id() + " on the NATS bus: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Subscribes and flushes, so the server knows the subscription when this method returns.
     *
     * @throws AetherException if the server did not confirm the subscription within 5 seconds
     */
    @Override
    public Subscription subscribe(String namespacePattern, SubscriptionFilter filter, EventHandler handler) {
        NamespacePattern pattern = SubscribeArguments.check(namespacePattern, filter, handler);
        subscriptions.requireOpen();
        BusSubscription subscription = subscriptions.register(new BusSubscription(pattern, filter, handler));
        subscription.start();
        return subscription;
    }

    /**
     * @return how many events jnats dropped because a subscription's handler fell behind its pending
     *         limits (a slow consumer), over all subscriptions of this bus, closed ones included
     */
    public long droppedEvents() {
        long live = 0;
        for (BusSubscription subscription : subscriptions.open()) {
            live += subscription.dispatcher.getDroppedCount();
        }
        return droppedByClosed.get() + live;
    }

    /** @return how many times a handler threw, over all subscriptions of this bus */
    public long handlerFailures() {
        return subscriptions.handlerFailures();
    }

    /** Closes every subscription of this bus; the connection stays open. */
    @Override
    public void close() {
        subscriptions.closeAll();
    }

    private final class BusSubscription implements Subscription {
        private final NamespacePattern pattern;
        private final SubscriptionFilter filter;
        private final EventHandler handler;
        private final Dispatcher dispatcher;
        private volatile boolean open = true;

        BusSubscription(NamespacePattern pattern, SubscriptionFilter filter, EventHandler handler) {
            this.pattern = pattern;
            this.filter = filter;
            this.handler = handler;
            this.dispatcher = connection.createDispatcher(this::onMessage);
        }

        void start() {
            dispatcher.subscribe(SubjectCodec.busSubject(streamPrefix, pattern.value()));
            try {
                connection.flush(FLUSH_TIMEOUT);
            } catch (TimeoutException | IllegalStateException e) {
                close();
                throw new AetherException("the NATS server did not confirm the subscription to '" + pattern.value()
                        + "' within " + FLUSH_TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new AetherException("interrupted while subscribing to '" + pattern.value() + "'", e);
            }
        }

        private void onMessage(Message message) {
            String namespace = message.getSubject().substring(subjectPrefix.length() + 1);
            Event event;
            try {
                Namespace.requireValid(namespace);
                event = codec.decode(message.getData());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Ignored a malformed message on " + message.getSubject(), e);
                return;
            }
            if (!open || !pattern.matches(namespace) || !filter.matches(event)) {
                return;
            }
            subscriptions.deliver(handler, pattern.value(), namespace, event);
        }

        @Override
        public synchronized void close() {
            if (!open) {
                return;
            }
            open = false;
            subscriptions.remove(this);
            droppedByClosed.addAndGet(dispatcher.getDroppedCount());
            try {
                connection.closeDispatcher(dispatcher);
            } catch (IllegalStateException e) {
                LOG.log(Level.DEBUG, "The connection was already closed when closing a bus subscription", e);
            }
        }
    }
}

package dev.aether.spring.autoconfigure;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.ParkedEvent;
import dev.aether.ParkedEvents;
import dev.aether.StoreUnavailableException;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.SubscriptionOptions;

/**
 * {@link EventSubscriptions} built on first use, for applications that start while NATS cannot be
 * reached ({@code aether.nats.startup-mode=connect-later}). Until they can be built,
 * {@link #subscribe} (and every {@link ParkedEvents} method) fails with {@link StoreUnavailableException}
 * and the subscriber registry tries again later.
 */
final class DeferredEventSubscriptions implements EventSubscriptions, ParkedEvents, AutoCloseable {

    private final Supplier<? extends EventSubscriptions> factory;
    private EventSubscriptions subscriptions;

    /** @param factory builds the subscriptions; throws while NATS cannot be reached */
    public DeferredEventSubscriptions(Supplier<? extends EventSubscriptions> factory) {
        this.factory = Objects.requireNonNull(factory, "factory must not be null");
    }

    @Override
    public Subscription subscribe(String namespacePattern, SubscriptionFilter filter, EventHandler handler,
                                  SubscriptionOptions options) {
        return subscriptions().subscribe(namespacePattern, filter, handler, options);
    }

    @Override
    public List<ParkedEvent> parkedEvents(String subscription) {
        return parked().parkedEvents(subscription);
    }

    @Override
    public long parkedCount(String subscription) {
        return parked().parkedCount(subscription);
    }

    @Override
    public int replayParked(String subscription) {
        return parked().replayParked(subscription);
    }

    @Override
    public boolean replayParked(String subscription, long id) {
        return parked().replayParked(subscription, id);
    }

    @Override
    public long discardParked(String subscription) {
        return parked().discardParked(subscription);
    }

    @Override
    public boolean discardParked(String subscription, long id) {
        return parked().discardParked(subscription, id);
    }

    private ParkedEvents parked() {
        if (subscriptions() instanceof ParkedEvents parked) {
            return parked;
        }
        throw new UnsupportedOperationException("The subscriptions keep no parked events");
    }

    /** Closes the subscriptions if they were built. */
    @Override
    public synchronized void close() throws Exception {
        if (subscriptions instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private synchronized EventSubscriptions subscriptions() {
        if (subscriptions == null) {
            try {
                subscriptions = Objects.requireNonNull(factory.get(), "factory returned null");
            } catch (StoreUnavailableException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw new StoreUnavailableException("Subscriptions are not available yet: " + ex.getMessage(), ex);
            }
        }
        return subscriptions;
    }
}

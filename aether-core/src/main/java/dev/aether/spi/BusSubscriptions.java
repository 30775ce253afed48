package dev.aether.spi;

import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.EventHandler;
import dev.aether.Subscription;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bookkeeping every {@link EventBus} does the same way: its open subscriptions, whether it is
 * closed, and handler calls that never let a failure reach the bus (it is logged with the event and
 * counted; only a {@link VirtualMachineError} propagates). Thread-safe; iterating the subscriptions
 * is cheap, as publishing does it for every event.
 *
 * @param <S> the bus's subscription type
 */
public final class BusSubscriptions<S extends Subscription> {

    private static final Logger LOG = System.getLogger(BusSubscriptions.class.getName());

    private final List<S> open = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();

    /** Creates an open, empty registry. */
    public BusSubscriptions() {
    }

    /** @throws IllegalStateException if the bus is closed */
    public void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the event bus is closed");
        }
    }

    /**
     * Registers a new subscription. If the bus closed meanwhile (after the caller's
     * {@link #requireOpen()}), the subscription is closed at once rather than left running.
     *
     * @param subscription a subscription not started yet
     * @return the same subscription
     * @throws IllegalStateException if the bus is closed
     */
    public S register(S subscription) {
        open.add(subscription);
        if (closed.get()) {
            subscription.close();
            requireOpen();
        }
        return subscription;
    }

    /** @param subscription a subscription that closed itself */
    public void remove(S subscription) {
        open.remove(subscription);
    }

    /** @return the open subscriptions, unmodifiable; an iteration sees a snapshot, whoever subscribes or closes */
    public List<S> open() {
        return Collections.unmodifiableList(open);
    }

    /** Closes the bus: every open subscription, once; later calls do nothing. */
    public void closeAll() {
        if (closed.compareAndSet(false, true)) {
            for (S subscription : open) {
                subscription.close();
            }
        }
    }

    /**
     * Calls a handler with one event, so that a failure is logged with the event and counted but
     * never thrown (except a {@link VirtualMachineError}).
     *
     * @param handler      the subscription's handler
     * @param subscription the subscription, as the log names it (its pattern)
     * @param namespace    the event's namespace
     * @param event        the event
     */
    public void deliver(EventHandler handler, String subscription, String namespace, Event event) {
        try {
            handler.handle(namespace, event);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            failures.incrementAndGet();
            LOG.log(Level.ERROR, "Handler of bus subscription '" + subscription + "' failed on event " + event.id()
                    + " (actor " + event.actorId() + ", version " + event.version() + ")", e);
        }
    }

    /** @return how many times a handler called through {@link #deliver} threw */
    public long handlerFailures() {
        return failures.get();
    }
}

package dev.aether.memory;

import dev.aether.Event;
import dev.aether.EventBus;
import dev.aether.EventHandler;
import dev.aether.Namespace;
import dev.aether.NamespacePattern;
import dev.aether.Subscription;
import dev.aether.SubscriptionFilter;
import dev.aether.spi.BusSubscriptions;
import dev.aether.spi.SubscribeArguments;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EventBus} inside one JVM.
 *
 * <p>Each subscription has a bounded queue and a delivery thread of its own, so it receives its
 * events in publish order, and a slow or throwing handler never blocks the publisher or other
 * subscriptions. An exception thrown by a handler is logged with the event id and counted
 * ({@link #handlerFailures()}); delivery goes on with the next event.
 *
 * <p>Overflow policy: when a subscription's queue is full, the newly published event is dropped
 * for that subscription only, counted in {@link #droppedEvents()}, and logged as a warning. The
 * publisher never blocks. Size the queue with {@link #InMemoryEventBus(int)}.
 */
public final class InMemoryEventBus implements EventBus {

    /** The queue capacity of each subscription unless another is given. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    private static final Logger LOG = System.getLogger(InMemoryEventBus.class.getName());
    private static final long JOIN_TIMEOUT_MILLIS = 5_000;

    private final int queueCapacity;
    private final BusSubscriptions<QueuedSubscription> subscriptions = new BusSubscriptions<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong threadCounter = new AtomicLong();

    /** Creates a bus with {@value #DEFAULT_QUEUE_CAPACITY} queued events per subscription. */
    public InMemoryEventBus() {
        this(DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * @param queueCapacity how many undelivered events each subscription holds before dropping, at least 1
     */
    public InMemoryEventBus(int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
    }

    @Override
    public void publish(String namespace, Event event) {
        Namespace.requireValid(namespace);
        Objects.requireNonNull(event, "event must not be null");
        subscriptions.requireOpen();
        for (QueuedSubscription subscription : subscriptions.open()) {
            subscription.offer(namespace, event);
        }
    }

    @Override
    public Subscription subscribe(String namespacePattern, SubscriptionFilter filter, EventHandler handler) {
        NamespacePattern pattern = SubscribeArguments.check(namespacePattern, filter, handler);
        subscriptions.requireOpen();
        QueuedSubscription subscription = subscriptions.register(new QueuedSubscription(pattern, filter, handler));
        // A close() racing from here on stops the thread through the open flag.
        subscription.thread.start();
        return subscription;
    }

    /** @return how many events were dropped because a subscription's queue was full, over all subscriptions */
    public long droppedEvents() {
        return dropped.get();
    }

    /** @return how many times a handler threw, over all subscriptions */
    public long handlerFailures() {
        return subscriptions.handlerFailures();
    }

    /** Closes every subscription and waits briefly for their delivery threads to end. */
    @Override
    public void close() {
        subscriptions.closeAll();
    }

    private record Delivery(String namespace, Event event) {
    }

    private final class QueuedSubscription implements Subscription {
        private final NamespacePattern pattern;
        private final SubscriptionFilter filter;
        private final EventHandler handler;
        private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(queueCapacity);
        private final Thread thread;
        private volatile boolean open = true;

        QueuedSubscription(NamespacePattern pattern, SubscriptionFilter filter, EventHandler handler) {
            this.pattern = pattern;
            this.filter = filter;
            this.handler = handler;
            this.thread = new Thread(this::deliver, "aether-bus-" + pattern.value() + "-" + threadCounter.incrementAndGet());
            this.thread.setDaemon(true);
        }

        void offer(String namespace, Event event) {
            if (!open || !pattern.matches(namespace) || !filter.matches(event)) {
                return;
            }
            if (!queue.offer(new Delivery(namespace, event))) {
                long total = dropped.incrementAndGet();
                LOG.log(Level.WARNING, () -> "Subscription '" + pattern.value() + "' queue is full (" + queueCapacity
                        + "): dropped event " + event.id() + " of actor " + event.actorId() + " (" + total
                        + " dropped on this bus so far)");
            }
        }

        private void deliver() {
            while (open) {
                Delivery delivery;
                try {
                    delivery = queue.take();
                } catch (InterruptedException e) {
                    // close() interrupts to end the wait
                    return;
                }
                if (open) {
                    subscriptions.deliver(handler, pattern.value(), delivery.namespace(), delivery.event());
                }
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (!open) {
                    return;
                }
                open = false;
            }
            subscriptions.remove(this);
            queue.clear();
            thread.interrupt();
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(JOIN_TIMEOUT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

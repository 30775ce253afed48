package dev.aether.spi;

import dev.aether.Event;
import dev.aether.EventHandler;
import dev.aether.EventSubscriptions;
import dev.aether.ParkedEvent;
import dev.aether.SubscriptionOptions;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery loop behind every {@link EventSubscriptions} implementation: one subscription's handler
 * on one thread, the events of each actor strictly one after another in the order submitted, and a
 * failed event retried after the back-off of {@link SubscriptionOptions} while other actors' events
 * keep flowing. After {@link SubscriptionOptions#maxDeliveries()} failed deliveries the event is
 * handed to {@link Acknowledger#exhausted} (the implementation parks it), the handler is told
 * ({@link EventHandler#parked}) and the actor moves on.
 *
 * <p>The handler is never called concurrently for one subscription, so it need not be thread-safe.
 * Implementations submit events in their store order and acknowledge through the {@link Acknowledger};
 * events wait here unacknowledged (behind a retry or a slow handler), so a store with an ack deadline
 * must keep extending it for the events it has submitted.
 *
 * <p>This is a building block for implementations of {@link EventSubscriptions} (Aether's own, in
 * {@code dev.aether.memory} and {@code dev.aether.jetstream}, and a user's own store), not something
 * applications call.
 */
public final class ActorOrderedDelivery implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ActorOrderedDelivery.class.getName());
    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String name;
    private final EventHandler handler;
    private final SubscriptionOptions options;
    private final ScheduledThreadPoolExecutor executor;
    private final Admission admission;
    // touched only on the executor thread
    private final Map<String, ArrayDeque<Pending>> byActor = new HashMap<>();
    private volatile Thread deliveryThread;
    private volatile boolean open = true;

    /** What the implementation does with an event at each step; called on the delivery thread. */
    public interface Acknowledger {

        /** The handler returned: acknowledge the event. */
        void handled();

        /**
         * The handler failed on every allowed delivery: park the event, then acknowledge it.
         *
         * @param deliveries how many times the handler was called with it
         * @param failure    the last failure
         */
        void exhausted(int deliveries, Throwable failure);

        /** The subscription closed before the event was handled: give it back for redelivery. */
        void released();
    }

    /**
     * Decides, right before each handler call, whether this process may still handle an event (a
     * partitioned subscription asks whether it still holds the actor's partition). A refused event is
     * released, with the events of its actor waiting behind it.
     */
    @FunctionalInterface
    public interface Admission {

        /** Admits every event. */
        Admission ALL = (namespace, event) -> true;

        /**
         * @param namespace the event's namespace
         * @param event     the event about to be handled
         * @return whether the handler may be called with it now
         */
        boolean admits(String namespace, Event event);
    }

    /**
     * @param name    the subscription's name, for the thread and the log
     * @param handler the user's handler
     * @param options the retry policy
     */
    public ActorOrderedDelivery(String name, EventHandler handler, SubscriptionOptions options) {
        this(name, handler, options, Admission.ALL);
    }

    /**
     * @param name      the subscription's name, for the thread and the log
     * @param handler   the user's handler
     * @param options   the retry policy
     * @param admission asked before each handler call
     */
    public ActorOrderedDelivery(String name, EventHandler handler, SubscriptionOptions options, Admission admission) {
        this.admission = Objects.requireNonNull(admission, "admission must not be null");
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.handler = Objects.requireNonNull(handler, "handler must not be null");
        this.options = Objects.requireNonNull(options, "options must not be null");
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "aether-subscription-" + name + "-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            deliveryThread = thread;
            return thread;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Queues an event behind the earlier events of its actor.
     *
     * @param namespace    the event's namespace
     * @param event        the event
     * @param firstAttempt the number of this delivery, from 1 (higher when the store redelivers it)
     * @param acknowledger what to do when it is handled, exhausted or released
     */
    public void submit(String namespace, Event event, int firstAttempt, Acknowledger acknowledger) {
        Pending item = new Pending(namespace, event, Math.max(1, firstAttempt), acknowledger);
        try {
            executor.execute(() -> enqueue(item));
        } catch (RejectedExecutionException e) {
            release(item);
        }
    }

    /** Stops delivery: waits for a running handler call (up to 10 s) and releases every waiting event. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            executor.execute(this::releaseAll);
        } catch (RejectedExecutionException e) {
            return;
        }
        executor.shutdown();
        if (!isDeliveryThread()) {
            try {
                if (!executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "Subscription '" + name + "': a handler call did not end within "
                            + CLOSE_TIMEOUT_SECONDS + " s of closing");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Releases every waiting event that {@link Admission} refuses now, after the running handler call
     * (if any) has returned and been acknowledged; waits for it (up to 10 s) unless called on the
     * delivery thread.
     */
    public void releaseRefused() {
        FutureTask<Void> sweep = new FutureTask<>(() -> {
            List<String> refused = new ArrayList<>();
            byActor.forEach((key, queue) -> {
                Pending head = queue.peekFirst();
                if (head != null && !admission.admits(head.namespace, head.event)) {
                    refused.add(key);
                }
            });
            refused.forEach(this::releaseActor);
            return null;
        });
        try {
            executor.execute(sweep);
        } catch (RejectedExecutionException closed) {
            return; // closing: every waiting event is released anyway
        }
        if (isDeliveryThread()) {
            return;
        }
        try {
            sweep.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "Subscription '" + name + "': could not release refused events in time", e);
        }
    }

    private void releaseActor(String key) {
        ArrayDeque<Pending> queue = byActor.remove(key);
        if (queue != null) {
            queue.forEach(this::release);
        }
    }

    private boolean isDeliveryThread() {
        return Thread.currentThread() == deliveryThread;
    }

    private void enqueue(Pending item) {
        if (!open) {
            release(item);
            return;
        }
        ArrayDeque<Pending> queue = byActor.computeIfAbsent(item.key(), k -> new ArrayDeque<>());
        queue.addLast(item);
        if (queue.size() == 1) {
            attempt(item);
        }
    }

    private void attempt(Pending item) {
        if (!open) {
            return;
        }
        ArrayDeque<Pending> queue = byActor.get(item.key());
        if (queue == null || queue.peekFirst() != item) {
            return; // released meanwhile, while it waited for a retry
        }
        if (!admission.admits(item.namespace, item.event)) {
            releaseActor(item.key());
            return;
        }
        try {
            handler.handle(item.namespace, item.event);
        } catch (RuntimeException | Error failure) {
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            if (item.attempt >= options.maxDeliveries()) {
                LOG.log(Level.ERROR, "Subscription '" + name + "' gives up on event " + item.event.id() + " (actor "
                        + item.event.actorId() + ", version " + item.event.version() + ") after " + item.attempt
                        + " deliveries; parking it", failure);
                safely(() -> item.acknowledger.exhausted(item.attempt, failure), item, "park");
                try {
                    handler.parked(item.namespace, item.event, item.attempt, failure);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Subscription '" + name + "': the handler's parked() threw; ignored", e);
                }
                done(item);
                return;
            }
            Duration wait = options.backoffAfter(item.attempt);
            LOG.log(Level.WARNING, "Subscription '" + name + "': handler failed on event " + item.event.id()
                    + " (actor " + item.event.actorId() + ", version " + item.event.version() + "), delivery "
                    + item.attempt + " of " + options.maxDeliveries() + "; retrying in " + wait.toMillis() + " ms: "
                    + ParkedEvent.describe(failure));
            item.attempt++;
            executor.schedule(() -> attempt(item), wait.toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        safely(item.acknowledger::handled, item, "acknowledge");
        done(item);
    }

    private void done(Pending item) {
        ArrayDeque<Pending> queue = byActor.get(item.key());
        queue.pollFirst();
        if (queue.isEmpty()) {
            byActor.remove(item.key());
        } else {
            Pending next = queue.peekFirst();
            try {
                executor.execute(() -> attempt(next));
            } catch (RejectedExecutionException closing) {
                // closed meanwhile: releaseAll, already queued, gives the next event back
            }
        }
    }

    private void releaseAll() {
        List<Pending> all = new ArrayList<>();
        byActor.values().forEach(all::addAll);
        byActor.clear();
        all.forEach(this::release);
    }

    private void release(Pending item) {
        safely(item.acknowledger::released, item, "release");
    }

    private void safely(Runnable step, Pending item, String what) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Subscription '" + name + "' could not " + what + " event " + item.event.id()
                    + "; the store will deliver it again", e);
        }
    }

    private static final class Pending {
        final String namespace;
        final Event event;
        final Acknowledger acknowledger;
        int attempt;

        Pending(String namespace, Event event, int attempt, Acknowledger acknowledger) {
            this.namespace = namespace;
            this.event = event;
            this.attempt = attempt;
            this.acknowledger = acknowledger;
        }

        String key() {
            return namespace + '\u0000' + event.actorId();
        }
    }
}

package dev.aether.jetstream;

import dev.aether.StoreUnavailableException;
import dev.aether.spi.EventBatch;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.impl.NatsMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The asynchronous saves of a {@link JetStreamEventStore}. Saves of different actors are published
 * together; the saves of one actor form a chain, each published when the one before has completed,
 * so that each is checked against it. At most {@code maxInFlight} saves are unfinished at once: a
 * caller that would exceed it waits (back-pressure).
 *
 * <p>A save whose actor's tip is known and below it is published with {@code publishAsync} and the
 * tip's sequence as expected last subject sequence: no other request. Every other case (tip unknown,
 * version not above it, an event id of the tip, wrong last sequence, duplicate, timeout or any other
 * failure) is handed to the synchronous save on a pool thread, so the future fails with exactly the
 * exception the synchronous call throws.
 */
final class SavePipeline {

    private final JetStreamEventStore store;
    private final JetStream js;
    private final Semaphore permits;
    private final int maxInFlight;
    /** The last unfinished save of each actor's subject, which the next save of that actor waits for. */
    private final ConcurrentMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    /** Runs the synchronous save off the caller's and the connection's threads; threads end when idle. */
    private final ExecutorService fallback = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "aether-jetstream-save");
        thread.setDaemon(true);
        return thread;
    });

    SavePipeline(JetStreamEventStore store, JetStream js, int maxInFlight) {
        this.store = store;
        this.js = js;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
    }

    /**
     * @param batch a checked batch
     * @return completed when the batch is stored, failed with the synchronous save's exception
     */
    CompletableFuture<Void> save(EventBatch batch) {
        OutgoingBatch out;
        try {
            out = store.outgoing(batch);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new StoreUnavailableException("Interrupted while waiting for one of "
                    + maxInFlight + " asynchronous saves to finish; " + out.description() + " was not sent", e));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(out.subject(), result);
        result.whenComplete((ignored, failure) -> {
            tails.remove(out.subject(), result);
            permits.release();
        });
        if (previous == null) {
            start(out, result);
        } else {
            previous.whenComplete((ignored, failure) -> start(out, result));
        }
        return result;
    }

    private void start(OutgoingBatch out, CompletableFuture<Void> result) {
        NatsMessage message;
        try {
            message = store.directMessage(out);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        if (message == null) {
            saveSynchronously(out.batch(), false, result);
            return;
        }
        try {
            js.publishAsync(message).whenComplete((ack, failure) -> {
                if (failure == null && !ack.isDuplicate()) {
                    store.stored(out, message, ack.getSeqno());
                    result.complete(null);
                } else {
                    // an unanswered publish (not one the server refused) may have stored the batch
                    saveSynchronously(out.batch(), failure != null && !refusedByServer(failure), result);
                }
            });
        } catch (RuntimeException e) {
            saveSynchronously(out.batch(), false, result);
        }
    }

    /** @return whether the server answered the publish with a refusal, which stores nothing */
    private static boolean refusedByServer(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof JetStreamApiException;
    }

    private void saveSynchronously(EventBatch batch, boolean publishUnanswered, CompletableFuture<Void> result) {
        fallback.execute(() -> {
            try {
                if (publishUnanswered) {
                    store.saveAfterUnansweredPublish(batch);
                } else {
                    store.save(batch);
                }
                result.complete(null);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
    }
}

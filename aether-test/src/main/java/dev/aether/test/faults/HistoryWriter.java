package dev.aether.test.faults;

import dev.aether.Event;
import dev.aether.StoreUnavailableException;
import dev.aether.VersionConflictException;
import dev.aether.jetstream.JetStreamEventStore;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A writer process of a {@link FaultInjectionRun}: for a bounded time it reads an actor's latest version, saves
 * the next one (sometimes leaving a gap, as callers may) and appends a {@link SaveRecord} of every save to its
 * record file, flushed line by line. A quarter of its saves are batches ({@code saveEvents}, all or none) of 2 to 5
 * events at consecutive versions from the one chosen. It prints {@code READY} once its store is built. A share of
 * its saves (single or batch) go to a few hot actors that every writer also writes, so writers race there. Reads
 * that fail are retried after a short pause; they are not saves.
 *
 * <pre>
 * java -cp ... dev.aether.test.faults.HistoryWriter &lt;servers&gt; &lt;namespace&gt; &lt;replicas&gt; &lt;writer&gt;
 *      &lt;actors&gt; &lt;hotActors&gt; &lt;seconds&gt; &lt;recordFile&gt;
 * </pre>
 */
public final class HistoryWriter {

    /** Share of saves that go to the hot actors. */
    static final double HOT_SHARE = 0.3;
    /** Share of saves that skip versions. */
    static final double GAP_SHARE = 0.1;
    /** Share of saves that are batches. */
    static final double BATCH_SHARE = 0.25;
    /** Largest batch; the smallest has two events. */
    static final int MAX_BATCH = 5;
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(100);

    private HistoryWriter() {
    }

    /**
     * @param args servers, namespace, replicas, writer name, actors, hot actors, seconds, record file
     * @throws Exception if the process cannot connect or write its records
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: HistoryWriter <servers> <namespace> <replicas> <writer> <actors> <hotActors> "
                    + "<seconds> <recordFile>");
            System.exit(2);
        }
        String writer = args[3];
        int actors = Integer.parseInt(args[4]);
        int hot = Integer.parseInt(args[5]);
        long end = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[6])).toNanos();
        Options options = Options.builder().server(args[0]).maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                .connectionTimeout(Duration.ofSeconds(5)).errorListener(new ErrorListener() { }).build();
        try (Connection connection = Nats.connect(options);
             BufferedWriter records = Files.newBufferedWriter(Path.of(args[7]), StandardCharsets.UTF_8)) {
            JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(args[1])
                    .replicas(Integer.parseInt(args[2])).build();
            System.out.println("READY");
            System.out.flush();
            long saves = 0;
            while (System.nanoTime() < end) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String actor = "actor-" + (random.nextDouble() < HOT_SHARE ? random.nextInt(hot) : random.nextInt(actors));
                long basis;
                try {
                    basis = store.getLatestVersion(actor);
                } catch (RuntimeException unreadable) {
                    LockSupport.parkNanos(PAUSE_AFTER_FAILURE.toNanos());
                    continue;
                }
                long version = basis + 1 + (random.nextDouble() < GAP_SHARE ? random.nextInt(1, 3) : 0);
                int size = random.nextDouble() < BATCH_SHARE ? random.nextInt(2, MAX_BATCH + 1) : 1;
                List<Event> events = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    events.add(Event.builder().id(writer + "-" + (++saves)).eventType("FaultProbe").actorId(actor)
                            .version(version + i).data(Map.of("writer", writer, "basis", basis)).build());
                }
                long start = System.currentTimeMillis();
                Outcome outcome = save(store, events);
                records.write(new SaveRecord(writer, actor, basis, version, events.stream().map(Event::id).toList(),
                        outcome, start, System.currentTimeMillis()).toLine());
                records.newLine();
                records.flush();
                if (outcome == Outcome.UNAVAILABLE || outcome == Outcome.UNKNOWN) {
                    LockSupport.parkNanos(PAUSE_AFTER_FAILURE.toNanos());
                }
            }
        } catch (IOException e) {
            System.err.println(writer + ": " + e);
            throw e;
        }
    }

    private static Outcome save(JetStreamEventStore store, List<Event> events) {
        try {
            if (events.size() == 1) {
                store.saveEvent(events.get(0));
            } else {
                store.saveEvents(events);
            }
            return Outcome.OK;
        } catch (VersionConflictException e) {
            return Outcome.CONFLICT;
        } catch (StoreUnavailableException e) {
            if (!e.outcomeUnknown()) {
                // rare, and each one is a claim that nothing was stored: the checker holds the store to it
                System.err.println("unavailable, nothing stored: " + events.get(0).id() + ": " + e);
            }
            return e.outcomeUnknown() ? Outcome.UNKNOWN : Outcome.UNAVAILABLE;
        } catch (RuntimeException e) {
            // Any other failure of a save the store could not finish: treat as possibly stored.
            return Outcome.UNKNOWN;
        }
    }
}

package dev.aether.jetstream;

import dev.aether.Event;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The writer of {@link JetStreamBatchCrashTest}, run in a JVM of its own: it saves batches of 2 to 20
 * events round the actors {@code actor-0 ... actor-(n-1)} in a loop, printing {@code TRY <batch id>}
 * before each save and {@code SAVED <batch id>} after it returns. Once {@code killAfter} batches are
 * saved, a second thread sends this JVM {@code kill -9} at a random moment of the next few
 * milliseconds, while the loop keeps saving, so that the kill lands in the middle of a save.
 */
public final class CrossProcessBatchWriter {

    /** Data key: the id of the batch the event was saved in. */
    static final String BATCH = "batch";
    /** Data key: the event's place in its batch, from 0. */
    static final String INDEX = "index";
    /** Data key: how many events the batch holds. */
    static final String SIZE = "size";

    private CrossProcessBatchWriter() {
    }

    /**
     * @param args NATS URL, namespace, number of actors, batches to save before the kill
     * @throws Exception when a save fails (the exit code is then 1, not the kill's 137)
     */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String namespace = args[1];
        int actors = Integer.parseInt(args[2]);
        int killAfter = Integer.parseInt(args[3]);
        try (Connection connection = Nats.connect(url)) {
            JetStreamEventStore store = JetStreamEventStore.builder(connection).namespace(namespace)
                    .storageType(StorageType.File).build();
            System.out.println("READY");
            for (long saved = 0; ; saved++) {
                if (saved == killAfter) {
                    killMyselfSoon();
                }
                String actor = "actor-" + (saved % actors);
                List<Event> batch = batch(actor, store.getLatestVersion(actor) + 1);
                String batchId = (String) batch.get(0).data().get(BATCH);
                System.out.println("TRY " + batchId);
                store.saveEvents(batch);
                System.out.println("SAVED " + batchId);
            }
        }
    }

    private static List<Event> batch(String actor, long firstVersion) {
        String batchId = UUID.randomUUID().toString();
        int size = ThreadLocalRandom.current().nextInt(2, 21);
        List<Event> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(Event.builder().eventType("Step").actorId(actor).version(firstVersion + i)
                    .data(Map.of(BATCH, batchId, INDEX, i, SIZE, size, "padding", "x".repeat(200))).build());
        }
        return events;
    }

    private static void killMyselfSoon() {
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 30));
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            } catch (Exception e) {
                e.printStackTrace();
                Runtime.getRuntime().halt(2);
            }
        }, "kill-9");
        killer.start();
    }
}

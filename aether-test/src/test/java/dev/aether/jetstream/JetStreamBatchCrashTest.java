package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aether.Event;
import dev.aether.test.nats.NatsServerExtension;
import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A process saving batches is killed with {@code kill -9} in the middle of its saves, then the server
 * is killed and restarted from its file store: every batch is wholly present or wholly absent.
 */
class JetStreamBatchCrashTest {

    private static final int ACTORS = 4;
    private static final int ROUNDS = 3;
    /** Rounds go on past {@link #ROUNDS} until a kill has landed during a save (it can land between saves). */
    private static final int MAX_ROUNDS = 8;
    private static final int SIGKILL_EXIT = 128 + 9;

    @RegisterExtension
    final NatsServerExtension nats = new NatsServerExtension();

    @Test
    void afterAWriterIsKilledInTheMiddleOfBatchSavesAndTheServerRestartsEveryBatchIsWholeOrAbsent() throws Exception {
        String namespace = "batch-crash";
        Set<String> tried = new HashSet<>();
        Set<String> saved = new HashSet<>();
        int killedWithABatchInFlight = 0;
        for (int round = 1; round <= ROUNDS || (killedWithABatchInFlight == 0 && round <= MAX_ROUNDS); round++) {
            List<String> lines = runWriterUntilItKillsItself(namespace, 20 * round);
            List<String> roundTried = batchIds(lines, "TRY ");
            List<String> roundSaved = batchIds(lines, "SAVED ");
            tried.addAll(roundTried);
            saved.addAll(roundSaved);
            if (!roundSaved.contains(roundTried.get(roundTried.size() - 1))) {
                killedWithABatchInFlight++;
            }

            nats.kill();
            nats.start();

            Map<String, List<Event>> stored = storedBatches(namespace);
            stored.forEach((batch, events) -> assertWhole(batch, events));
            assertThat(tried).as("every stored batch was tried").containsAll(stored.keySet());
            assertThat(stored.keySet()).as("every batch whose save returned is stored").containsAll(saved);
        }
        assertThat(killedWithABatchInFlight).as("rounds in which the kill landed during a save")
                .isPositive();
    }

    private List<String> runWriterUntilItKillsItself(String namespace, int killAfter) throws Exception {
        Process writer = SecondJvm.start(CrossProcessBatchWriter.class, nats.url(), namespace,
                Integer.toString(ACTORS), Integer.toString(killAfter));
        try {
            BufferedReader output = SecondJvm.output(writer);
            assertThat(output.readLine()).isEqualTo("READY");
            List<String> lines = output.lines().toList();
            assertThat(writer.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(writer.exitValue()).as("the writer died of its own kill -9, not of a failed save")
                    .isEqualTo(SIGKILL_EXIT);
            assertThat(batchIds(lines, "SAVED ")).hasSizeGreaterThanOrEqualTo(killAfter);
            return lines;
        } finally {
            writer.destroyForcibly();
        }
    }

    private Map<String, List<Event>> storedBatches(String namespace) {
        JetStreamEventStore reader = JetStreamEventStore.builder(nats.connect()).namespace(namespace).build();
        Map<String, List<Event>> batches = new LinkedHashMap<>();
        for (int actor = 0; actor < ACTORS; actor++) {
            List<Event> events = reader.getEvents("actor-" + actor, 0);
            assertThat(events).extracting(Event::version).as("actor-" + actor + " has no gap")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
            for (Event event : events) {
                batches.computeIfAbsent((String) event.data().get(CrossProcessBatchWriter.BATCH), b -> new ArrayList<>())
                        .add(event);
            }
        }
        return batches;
    }

    private static void assertWhole(String batch, List<Event> events) {
        int size = ((Number) events.get(0).data().get(CrossProcessBatchWriter.SIZE)).intValue();
        assertThat(events).as("batch " + batch).hasSize(size);
        for (int i = 0; i < size; i++) {
            Event event = events.get(i);
            assertThat(((Number) event.data().get(CrossProcessBatchWriter.INDEX)).intValue()).as("batch " + batch)
                    .isEqualTo(i);
            assertThat(event.version()).as("batch " + batch).isEqualTo(events.get(0).version() + i);
            assertThat(event.actorId()).isEqualTo(events.get(0).actorId());
        }
    }

    private static List<String> batchIds(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .collect(Collectors.toList());
    }
}

package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aether.Event;
import dev.aether.test.nats.NatsServerExtension;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two JVM processes write one actor at once; the server lets exactly one win each version. */
class JetStreamCrossProcessTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void twoProcessesWritingOneActorNeverShareOrSkipAVersion() throws Exception {
        int target = 150;
        String namespace = "cross-process";
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (String writer : List.of("first", "second")) {
                Process process = SecondJvm.start(CrossProcessWriter.class, NATS.url(), namespace, "shared",
                        Integer.toString(target), writer);
                processes.add(process);
                BufferedReader output = SecondJvm.output(process);
                outputs.add(output);
                assertThat(output.readLine()).as(writer + " starts").isEqualTo("READY");
            }
            for (Process process : processes) {
                OutputStream go = process.getOutputStream();
                go.write('\n');
                go.flush();
            }
            List<String> wins = new ArrayList<>();
            List<Integer> winsPerProcess = new ArrayList<>();
            for (int i = 0; i < processes.size(); i++) {
                List<String> lines = outputs.get(i).lines().toList();
                assertThat(processes.get(i).waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(processes.get(i).exitValue()).isZero();
                lines.stream().filter(l -> l.startsWith("WON ")).map(l -> l.split(" ")[2]).forEach(wins::add);
                winsPerProcess.add((int) lines.stream().filter(l -> l.startsWith("WON ")).count());
            }

            JetStreamEventStore reader = JetStreamEventStore.builder(NATS.connect()).namespace(namespace).build();
            List<Event> stored = reader.getEvents("shared", 0);
            assertThat(stored).extracting(Event::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, target).boxed().toList());
            assertThat(wins).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                    stored.stream().map(Event::id).toList());
            assertThat(winsPerProcess).as("both processes took part").allSatisfy(n -> assertThat(n).isPositive());
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }
}

package dev.aether.jetstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A main class of the test class path run in a JVM of its own, as another process of an application would be. */
final class SecondJvm {

    private SecondJvm() {
    }

    /**
     * @param mainClass the class whose {@code main} runs
     * @param args      its arguments
     * @return the running process; its standard error goes to this JVM's
     * @throws IOException if the JVM could not be started
     */
    static Process start(Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * @param process a process from {@link #start}
     * @return its standard output, read line by line
     */
    static BufferedReader output(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}

package dev.parley.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class of the test class path in a JVM of its own, as a user would start the program. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** A process builder running {@code main} with {@code args}; the caller sets its environment and streams. */
    public static ProcessBuilder of(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}

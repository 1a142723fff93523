package dev.parley.bench.load;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where the server's time goes, from a JDK Flight Recorder recording: started and stopped in the running server with
 * {@code jcmd} (the {@code profile} settings, plus JDK 25's CPU-time sampler), then read back here
 * and reduced to a few tables a reader can act on.
 *
 * @param sampler       which samples the tables count
 * @param javaSamples   samples of threads running Java code
 * @param components    per component, the samples whose innermost non-JDK frame belongs to it (JDK-only stacks are
 *                      listed by the JDK package of their top frame)
 * @param hotMethods    the methods most often on top of a stack (self time)
 * @param parleyMethods Parley's methods by the share of samples that have them anywhere on the stack (inclusive)
 * @param nativeTop     for threads sampled while in native code (SQLite, fsync, polling), the native method on top
 * @param nativeSamples samples of threads in native code
 * @param gcPauses      garbage collections during the recording and their summed pauses
 */
record Profile(String sampler, long javaSamples, Map<String, Long> components, Map<String, Long> hotMethods, Map<String, Long> parleyMethods,
               long nativeSamples, Map<String, Long> nativeTop, long gcCount, Duration gcPauses) {

    private static final int ROWS = 12;

    /** Starts recording in process {@code pid}; {@code file} is written when {@link #stop} is called. */
    static void start(long pid, Path file) throws IOException, InterruptedException {
        if (Runtime.version().feature() >= 25) {
            // JDK 25's CPU-time sampler (JEP 509) also sees the carriers of virtual threads, where the requests run
            jcmd(pid, "JFR.start", "name=parley-bench", "settings=profile", "jdk.CPUTimeSample#enabled=true",
                    "jdk.CPUTimeSample#throttle=10ms", "filename=" + file);
        } else {
            jcmd(pid, "JFR.start", "name=parley-bench", "settings=profile", "filename=" + file);
        }
    }

    static Profile stop(long pid, Path file) throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=parley-bench");
        return read(file);
    }

    /** Whether this JDK has {@code jcmd}, which starts and stops the recording in the server. */
    static boolean available() {
        return Files.isExecutable(jcmdPath());
    }

    private static Path jcmdPath() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(jcmdPath().toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
    }

    /**
     * Reduces a recording to the tables of the report: from its CPU-time samples when it has them (JDK 25 and later),
     * else from its execution samples.
     */
    static Profile read(Path file) throws IOException {
        Tally cpuTime = new Tally();
        Tally execution = new Tally();
        Map<String, Long> nativeTop = new HashMap<>();
        long inNative = 0;
        long gcCount = 0;
        Duration gcPauses = Duration.ZERO;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String name = event.getEventType().getName();
                if (name.equals("jdk.GarbageCollection")) {
                    gcCount++;
                    gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                switch (name) {
                    case "jdk.CPUTimeSample" -> cpuTime.add(frames);
                    case "jdk.ExecutionSample" -> execution.add(frames);
                    case "jdk.NativeMethodSample" -> {
                        inNative++;
                        nativeTop.merge(method(frames.getFirst()), 1L, Long::sum);
                    }
                    default -> {
                        // other events carry no sample of where time goes
                    }
                }
            }
        }
        boolean byCpu = cpuTime.samples > 0;
        Tally used = byCpu ? cpuTime : execution;
        return new Profile(byCpu ? "CPU-time samples (`jdk.CPUTimeSample`, every 10 ms of CPU time of any thread)"
                : "execution samples (`jdk.ExecutionSample`, every 10 ms per running platform thread)", used.samples,
                top(used.components, 16), top(used.hot, ROWS), top(used.parley, 24), inNative, top(nativeTop, 6), gcCount, gcPauses);
    }

    /** Samples of one kind, counted three ways. */
    private static final class Tally {
        long samples;
        final Map<String, Long> components = new HashMap<>();
        final Map<String, Long> hot = new HashMap<>();
        final Map<String, Long> parley = new HashMap<>();

        void add(List<RecordedFrame> frames) {
            samples++;
            hot.merge(method(frames.getFirst()), 1L, Long::sum);
            components.merge(component(frames), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String m = method(frame);
                // the lambdas a route is wrapped in say nothing the method they call does not
                if (m.startsWith("dev.parley.") && !m.contains("$$Lambda") && !m.contains(".lambda$") && seen.add(m)) {
                    parley.merge(m, 1L, Long::sum);
                }
            }
        }
    }

    /** The innermost frame that is not the JDK's names the library doing the work; the JDK's own threads have none. */
    static String component(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!jdk(type)) {
                return componentOf(type);
            }
        }
        String top = frames.getFirst().getMethod().getType().getName();
        return "JDK only: " + packageOf(top, 3);
    }

    static String componentOf(String type) {
        if (type.startsWith("dev.parley.")) {
            return "Parley " + after(packageOf(type, 3), "dev.parley", "(core)");
        }
        if (type.startsWith("org.eclipse.jetty.")) {
            return "Jetty " + after(packageOf(type, 4), "org.eclipse.jetty", "(root)");
        }
        if (type.startsWith("tools.jackson.") || type.startsWith("com.fasterxml.jackson.")) {
            return "Jackson";
        }
        return packageOf(type, 2);
    }

    /** {@code name} without {@code prefix} and its dot; {@code root} when it is the prefix itself. */
    private static String after(String name, String prefix, String root) {
        return name.length() <= prefix.length() ? root : name.substring(prefix.length() + 1);
    }

    private static boolean jdk(String type) {
        return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.") || type.startsWith("sun.")
                || type.startsWith("com.sun.");
    }

    private static String packageOf(String type, int parts) {
        String[] names = type.split("\\.");
        int keep = Math.min(parts, names.length - 1);
        return keep <= 0 ? type : String.join(".", Arrays.copyOf(names, keep));
    }

    private static String method(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        return method.getType().getName() + "." + method.getName();
    }

    private static Map<String, Long> top(Map<String, Long> counts, int rows) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(rows).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}

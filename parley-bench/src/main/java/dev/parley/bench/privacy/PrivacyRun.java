package dev.parley.bench.privacy;

import dev.parley.bench.BenchPaths;
import dev.parley.bench.Machine;
import dev.parley.privacy.Detector;
import dev.parley.privacy.Detectors;
import dev.parley.privacy.InMemoryPlaceholderBook;
import dev.parley.privacy.Sanitizer;
import dev.parley.privacy.SanitizerPolicy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accuracy and speed of the privacy detectors on the committed labelled corpus ({@code corpus/privacy-corpus.jsonl},
 * made by {@link CorpusGenerator}; {@link PrivacyCorpusRun} remakes it), writing {@code results/privacy-<date>.md}.
 *
 * <pre>
 * parley-bench/run privacy                         # about a minute after the build
 * parley-bench/run privacy --corpus other.jsonl    # options: {@link Options#usage()}
 * </pre>
 *
 * Precision and recall per entity type (exact spans and overlapping ones), recall per written form, what the hard
 * negatives were mistaken for, and throughput in MB of UTF-8 text per second of one core's CPU time: every built-in
 * detector together ({@link Detectors#defaults()}), the sanitiser on top of them, and each detector alone.
 */
public final class PrivacyRun {
    private PrivacyRun() {
    }

    /**
     * @param corpus         the labelled corpus to score
     * @param warmupSeconds  CPU seconds of warm-up before each throughput figure
     * @param seconds        CPU seconds measured for the all-detectors figure (each other figure gets a third of it)
     * @param results        where the report goes
     */
    record Options(Path corpus, double warmupSeconds, double seconds, Path results) {
        Options {
            if (!(warmupSeconds >= 0) || !(seconds > 0)) {
                throw new IllegalArgumentException("--warmup must be >= 0 and --seconds > 0, got " + warmupSeconds + " and " + seconds);
            }
        }

        static Options parse(String[] args, Path corpus, Path results) {
            double warmup = 5;
            double seconds = 15;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                try {
                    switch (args[i]) {
                        case "--corpus" -> corpus = Path.of(value);
                        case "--warmup" -> warmup = Double.parseDouble(value);
                        case "--seconds" -> seconds = Double.parseDouble(value);
                        case "--results" -> results = Path.of(value);
                        default -> throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(args[i] + " needs a number, got '" + value + "'", e);
                }
            }
            return new Options(corpus, warmup, seconds, results);
        }

        static String usage() {
            return "usage: parley-bench/run privacy [--corpus parley-bench/corpus/privacy-corpus.jsonl] [--warmup 5] [--seconds 15] "
                    + "[--results DIR]";
        }
    }

    public static void main(String[] args) throws IOException {
        Path base = BenchPaths.module();
        Options options;
        try {
            options = Options.parse(args, base.resolve(PrivacyCorpusRun.DEFAULT_FILE), base.resolve("results"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.usage());
            System.exit(2);
            return;
        }
        Path file = run(options, System.out);
        System.out.println();
        System.out.println(Files.readString(file));
        System.out.println("Written to " + file);
    }

    static Path run(Options options, PrintStream log) throws IOException {
        long started = System.nanoTime();
        double loadBefore = Machine.loadAverage();
        Corpus corpus = Corpus.read(options.corpus());
        log.printf(Locale.ROOT, "corpus %s: %,d samples, seed %d%n", options.corpus(), corpus.samples().size(), corpus.seed());
        Detector all = Detectors.defaults();
        Scores scores = Scores.of(all, corpus);

        List<String> texts = corpus.samples().stream().map(Corpus.Sample::text).toList();
        long bytes = corpus.utf8Bytes();
        Map<String, Throughput> speed = new LinkedHashMap<>();
        log.println("throughput, every detector ...");
        speed.put("every built-in detector (`Detectors.defaults()`)", Throughput.measure(texts, bytes, t -> all.detect(t).size(),
                options.warmupSeconds(), options.seconds()));
        double each = options.seconds() / 3;
        Sanitizer sanitizer = Sanitizer.builder().detector(all).policy(SanitizerPolicy.defaults()).build();
        speed.put("the sanitiser over them (detect, then pseudonymise into a new placeholder book per text)",
                Throughput.measure(texts, bytes, t -> sanitizer.sanitize(t, new InMemoryPlaceholderBook()).replacements().size(),
                        options.warmupSeconds() / 2, each));
        Map<String, Detector> alone = new LinkedHashMap<>();
        alone.put("email", Detectors.email());
        alone.put("phone (US, GB, DE, FR)", Detectors.phone(Detectors.DEFAULT_PHONE_REGIONS));
        alone.put("credit card", Detectors.creditCard());
        alone.put("IBAN", Detectors.iban());
        alone.put("US SSN", Detectors.usSsn());
        alone.put("IP address", Detectors.ipAddress());
        alone.put("URL credentials", Detectors.urlCredentials());
        alone.put("secrets", Detectors.secrets());
        for (Map.Entry<String, Detector> detector : alone.entrySet()) {
            log.println("throughput, " + detector.getKey() + " alone ...");
            speed.put(detector.getKey() + " alone", Throughput.measure(texts, bytes, t -> detector.getValue().detect(t).size(),
                    options.warmupSeconds() / 4, each / 2));
        }
        String conditions = String.format(Locale.ROOT, "1-minute load average %.1f at the start, %.1f at the end (other engineers' "
                        + "builds may share this machine; the throughput is per core of CPU time, which they do not take away, but they "
                        + "share caches and memory bandwidth); the run took %.0f s", loadBefore, Machine.loadAverage(),
                (System.nanoTime() - started) / 1e9);
        String markdown = new PrivacyReport(options.corpus(), corpus, Machine.describe(),
                conditions, scores, speed).markdown();
        Files.createDirectories(options.results());
        Path file = options.results().resolve("privacy-" + LocalDate.now() + ".md");
        Files.writeString(file, markdown);
        return file;
    }
}

package dev.parley.bench.privacy;

import dev.parley.privacy.EntityType;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The markdown report of one privacy run: the corpus, precision and recall, the hard negatives, throughput, the targets. */
final class PrivacyReport {
    /** Recall and precision each type must reach (exact spans); phones are held to a lower bar, URL credentials to none. */
    static final Map<String, Double> TARGETS = Map.of(EntityType.EMAIL, 0.95, EntityType.CREDIT_CARD, 0.95, EntityType.IBAN, 0.95,
            EntityType.US_SSN, 0.95, EntityType.IP_ADDRESS, 0.95, EntityType.SECRET, 0.95, EntityType.PHONE, 0.90);
    static final double RECALL_TARGET = 0.98;
    static final double PHONE_TARGET = 0.90;
    /** MB of UTF-8 text per second of one core, every detector on. */
    static final double THROUGHPUT_TARGET = 10.0;

    private final Path file;
    private final Corpus corpus;
    private final String machine;
    private final String conditions;
    private final Scores scores;
    private final Map<String, Throughput> speed;

    PrivacyReport(Path file, Corpus corpus, String machine, String conditions, Scores scores, Map<String, Throughput> speed) {
        this.file = file;
        this.corpus = corpus;
        this.machine = machine;
        this.conditions = conditions;
        this.scores = scores;
        this.speed = speed;
    }

    static double precisionTarget(String type) {
        return TARGETS.getOrDefault(type, Double.NaN);
    }

    static double recallTarget(String type) {
        return type.equals(EntityType.PHONE) ? PHONE_TARGET : TARGETS.containsKey(type) ? RECALL_TARGET : Double.NaN;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Privacy detectors: accuracy and speed, ").append(LocalDate.now()).append("\n\n");
        md.append("- Command: `parley-bench/run privacy` (see parley-bench/README.md)\n");
        md.append("- Machine: ").append(machine).append('\n');
        md.append("- Conditions: ").append(conditions).append('\n');
        long negatives = corpus.samples().stream().mapToLong(s -> s.negatives().size()).sum();
        long gold = corpus.samples().stream().mapToLong(s -> s.gold().size()).sum();
        md.append(String.format(Locale.ROOT, "- Corpus: `%s`, seed %d (%s): %,d samples, %,d characters (%.2f MB of UTF-8), %,d labelled "
                        + "entities, %,d hard negatives. Kinds of sample: %s.%n", file.getFileName(), corpus.seed(), corpus.generator(),
                corpus.samples().size(), corpus.characters(), corpus.utf8Bytes() / 1e6, gold, negatives, kinds()));
        md.append("- Detector: `Detectors.defaults()`, every built-in detector, phone numbers of US, GB, DE and FR.\n");
        md.append("- Exact: a finding counts only with the labelled span's type, start and end. Overlap: with its type and at least one "
                + "shared character. A finding of a type that matches no labelled span is a false positive of its type.\n\n");

        md.append("## Precision and recall per type\n\n");
        md.append("| type | labelled | precision (exact) | recall (exact) | precision (overlap) | recall (overlap) | target (P / R) | met |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|---|\n");
        for (String type : CorpusGenerator.types()) {
            Scores.Count exact = scores.exact.getOrDefault(type, new Scores.Count());
            Scores.Count overlap = scores.overlap.getOrDefault(type, new Scores.Count());
            double p = precisionTarget(type);
            double r = recallTarget(type);
            md.append("| ").append(type).append(" | ").append(String.format(Locale.ROOT, "%,d", exact.gold())).append(" | ")
                    .append(ratio(exact.precision())).append(" | ").append(ratio(exact.recall())).append(" | ")
                    .append(ratio(overlap.precision())).append(" | ").append(ratio(overlap.recall())).append(" | ")
                    .append(Double.isNaN(p) ? "–" : String.format(Locale.ROOT, "≥ %.2f / ≥ %.2f", p, r)).append(" | ")
                    .append(Double.isNaN(p) ? "–" : met(exact, p, r) ? "**met**" : "**missed**").append(" |\n");
        }
        md.append('\n');
        if (!scores.confusions.isEmpty()) {
            md.append("Labelled entities found only as another type: ");
            StringBuilder list = new StringBuilder();
            scores.confusions.forEach((k, v) -> list.append(list.isEmpty() ? "" : "; ").append(k).append(" ").append(v));
            md.append(list).append(".\n\n");
        }

        md.append("## Recall by written form (exact spans)\n\n| type / form | labelled | recall |\n|---|---:|---:|\n");
        scores.forms.forEach((form, count) -> md.append("| ").append(form).append(" | ").append(count.gold()).append(" | ")
                .append(ratio(count.recall())).append(" |\n"));
        md.append('\n');

        md.append("## Hard negatives\n\nHow often a finding touched a value that is not sensitive, by kind, and as what.\n\n");
        md.append("| kind | in the corpus | touched | share |\n|---|---:|---:|---:|\n");
        scores.negatives.forEach((kind, count) -> md.append("| ").append(kind).append(" | ").append(count.truePositives + count.falsePositives)
                .append(" | ").append(count.falsePositives).append(" | ")
                .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * count.falsePositives / (count.truePositives + count.falsePositives)))
                .append(" |\n"));
        if (!scores.negativeHits.isEmpty()) {
            StringBuilder list = new StringBuilder();
            scores.negativeHits.forEach((k, v) -> list.append(list.isEmpty() ? "" : "; ").append(k).append(" ").append(v));
            md.append("\nTouched as: ").append(list).append(".\n");
        }
        md.append('\n');

        md.append("## Examples\n\nUp to six per type, the span in brackets with its surroundings.\n\n");
        examples(md, "Missed or cut differently", scores.missedExamples);
        examples(md, "False positives (no labelled span of the type there)", scores.falseExamples);

        md.append("## Throughput\n\nMB (10^6 bytes of UTF-8 text) per second of one core's CPU time (`ThreadMXBean`, this thread only), "
                + "every text of the corpus in turn, after a warm-up.\n\n");
        md.append("| what | MB/s per core | passes | CPU s |\n|---|---:|---:|---:|\n");
        speed.forEach((what, t) -> md.append("| ").append(what).append(" | ").append(String.format(Locale.ROOT, "%.1f", t.megabytesPerSecond()))
                .append(" | ").append(t.passes()).append(" | ").append(String.format(Locale.ROOT, "%.1f", t.cpuNanos() / 1e9)).append(" |\n"));
        md.append('\n');

        md.append("## Targets\n\n");
        for (String type : CorpusGenerator.types()) {
            if (!TARGETS.containsKey(type)) {
                continue;
            }
            Scores.Count exact = scores.exact.getOrDefault(type, new Scores.Count());
            md.append(String.format(Locale.ROOT, "- %s: recall ≥ %.2f and precision ≥ %.2f (exact spans): **%s** (recall %s, precision %s).%n",
                    type, recallTarget(type), precisionTarget(type), met(exact, precisionTarget(type), recallTarget(type)) ? "met" : "missed",
                    ratio(exact.recall()), ratio(exact.precision())));
        }
        Throughput all = speed.values().iterator().next();
        md.append(String.format(Locale.ROOT, "- At least %.0f MB/s per core with every detector on: **%s** (%.1f MB/s).%n", THROUGHPUT_TARGET,
                all.megabytesPerSecond() >= THROUGHPUT_TARGET ? "met" : "missed", all.megabytesPerSecond()));
        return md.toString();
    }

    private static boolean met(Scores.Count count, double precision, double recall) {
        return count.gold() > 0 && count.precision() >= precision && count.recall() >= recall;
    }

    private String kinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        corpus.samples().forEach(s -> kinds.merge(s.kind(), 1, Integer::sum));
        StringBuilder out = new StringBuilder();
        kinds.forEach((k, v) -> out.append(out.isEmpty() ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%,d", v)));
        return out.toString();
    }

    private static void examples(StringBuilder md, String title, Map<String, List<String>> examples) {
        md.append("### ").append(title).append("\n\n");
        if (examples.isEmpty()) {
            md.append("None.\n\n");
            return;
        }
        examples.forEach((type, list) -> {
            md.append("- ").append(type).append(":\n");
            list.forEach(e -> md.append("  - `").append(e.replace('`', '\'').replace("\n", "⏎")).append("`\n"));
        });
        md.append('\n');
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }
}

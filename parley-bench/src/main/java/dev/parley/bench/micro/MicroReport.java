package dev.parley.bench.micro;

import dev.parley.tokens.EstimatingTokenizer;
import dev.parley.tokens.Tokenizers;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown of one micro-benchmark run: every score, the flatness checks, and token throughput. */
final class MicroReport {
    /** The cost at the longest history may exceed the cost at the shortest by at most this factor. */
    static final double FLATNESS_LIMIT = 1.5;

    record Score(String benchmark, String method, String param, double score, double error, String unit) {
        String formatted() {
            return Double.isNaN(error) ? number(score) + " " + unit : number(score) + " ± " + number(error) + " " + unit;
        }
    }

    private static final Map<String, String> WHAT = Map.of(
            "SessionBenchmark.appendTurn", "`Session.add(user, reply)`, in-memory store (engine only, no I/O)",
            "SessionBenchmark.lastTwenty", "`Session.last(20)`, in-memory store (engine only, no I/O)",
            "ContextBenchmark.tokenBudget", "`Session.context(tokenBudget(4000, 0), \"gpt-4o\")`, SQLite store, counts cached",
            "TokenBenchmark.o200kMessage", "o200k_base count of a 480-character reply, uncached",
            "TokenBenchmark.o200kDocument", "o200k_base count of 4 KB of prose, uncached",
            "TokenBenchmark.estimateDocument", "calibrated estimate of 4 KB of prose",
            "SanitizerBenchmark.messageWithPii", "sanitise a message with e-mail, phone, card and IBAN (all built-in detectors)",
            "SanitizerBenchmark.plainReply", "sanitise a 480-character reply with nothing to find",
            "JsonBenchmark.encodeMessage", "`ParleyJson.payloadText` of a 480-character message",
            "JsonBenchmark.decodeMessage", "`ParleyJson.payload` of that JSON");

    private final String mode;
    private final String machine;
    private final String conditions;
    private final List<Score> scores = new ArrayList<>();

    MicroReport(String mode, String machine, String conditions, Collection<RunResult> runs) {
        this.mode = mode;
        this.machine = machine;
        this.conditions = conditions;
        for (RunResult run : runs) {
            String full = run.getParams().getBenchmark();
            String className = full.substring(0, full.lastIndexOf('.'));
            String param = run.getParams().getParamsKeys().stream().map(k -> k + "=" + run.getParams().getParam(k)).findFirst().orElse("");
            Result<?> primary = run.getPrimaryResult();
            scores.add(new Score(className.substring(className.lastIndexOf('.') + 1), full.substring(full.lastIndexOf('.') + 1), param,
                    primary.getScore(), primary.getScoreError(), primary.getScoreUnit()));
        }
        scores.sort(Comparator.comparing(Score::benchmark).thenComparing(Score::method).thenComparingInt(MicroReport::paramValue));
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Micro-benchmarks of Parley's hot paths, ").append(LocalDate.now()).append("\n\n");
        md.append("- Command: `parley-bench/run micro` (see parley-bench/README.md)\n");
        md.append("- Machine: ").append(machine).append('\n');
        md.append("- Conditions: ").append(conditions).append('\n');
        md.append("- Mode: ").append(mode).append('\n');
        md.append("- Scores: JMH average time per operation, mean ± 99.9% confidence half-width.\n\n");

        md.append("| benchmark | what | parameter | time per operation |\n|---|---|---|---:|\n");
        for (Score s : scores) {
            md.append("| ").append(s.benchmark()).append('.').append(s.method()).append(" | ")
                    .append(WHAT.getOrDefault(s.benchmark() + "." + s.method(), "")).append(" | ")
                    .append(s.param().isEmpty() ? "–" : s.param()).append(" | ").append(s.formatted()).append(" |\n");
        }

        md.append("\n## Flat in the history's length\n\n");
        flatness(md, "ContextBenchmark", "tokenBudget", "context with `tokenBudget(4000, 0)`");
        flatness(md, "SessionBenchmark", "appendTurn", "append a turn (engine)");
        flatness(md, "SessionBenchmark", "lastTwenty", "read the last 20 (engine)");

        md.append("\n## Token counting throughput\n\n");
        md.append("| counter | text | tokens | tokens/s | characters/s |\n|---|---|---:|---:|---:|\n");
        throughput(md, "o200kMessage", "o200k_base", "480-character reply", Tokenizers.o200kBase().count(Fixtures.ANSWER),
                Fixtures.ANSWER.length());
        throughput(md, "o200kDocument", "o200k_base", "4 KB of prose", Tokenizers.o200kBase().count(Fixtures.DOCUMENT),
                Fixtures.DOCUMENT.length());
        throughput(md, "estimateDocument", "estimate", "4 KB of prose", EstimatingTokenizer.standard().count(Fixtures.DOCUMENT),
                Fixtures.DOCUMENT.length());
        return md.toString();
    }

    private void flatness(StringBuilder md, String benchmark, String method, String what) {
        List<Score> runs = scores.stream().filter(s -> s.benchmark().equals(benchmark) && s.method().equals(method)).toList();
        if (runs.size() < 2) {
            return;
        }
        Score shortest = runs.getFirst();
        Score longest = runs.getLast();
        double ratio = longest.score() / shortest.score();
        md.append(String.format(Locale.ROOT, "- %s: %s ÷ %s = %.2f (target ≤ %.1f): **%s**%n", what, longest.param(), shortest.param(),
                ratio, FLATNESS_LIMIT, ratio <= FLATNESS_LIMIT ? "met" : "missed"));
    }

    private void throughput(StringBuilder md, String method, String counter, String text, int tokens, int chars) {
        scores.stream().filter(s -> s.benchmark().equals("TokenBenchmark") && s.method().equals(method)).findFirst().ifPresent(s -> {
            double perSecond = 1e6 / s.score();
            md.append("| ").append(counter).append(" | ").append(text).append(" | ").append(tokens).append(" | ")
                    .append(number(tokens * perSecond)).append(" | ").append(number(chars * perSecond)).append(" |\n");
        });
    }

    private static int paramValue(Score s) {
        int eq = s.param().indexOf('=');
        return eq < 0 ? 0 : Integer.parseInt(s.param().substring(eq + 1));
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}

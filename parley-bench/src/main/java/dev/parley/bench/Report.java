package dev.parley.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The markdown report of one run: the machine, the mode, every score, and whether the targets were met. */
final class Report {
    /** 10 000 entries may cost at most this much more than 10 (DESIGN §8: cost flat in history length). */
    static final double FLATNESS_LIMIT = 1.5;
    /** Durable appends per second that 64 writers must reach through the store. */
    static final double THROUGHPUT_TARGET = 40_000;

    record Score(String benchmark, String method, String historyLength, int threads, double score, double error, String unit) {
        String formatted() {
            return Double.isNaN(error) ? number(score) + " " + unit : number(score) + " ± " + number(error) + " " + unit;
        }
    }

    private final String mode;
    private final String machine;
    private final String conditions;
    private final List<Score> scores = new ArrayList<>();

    Report(String mode, String machine, String conditions, Collection<RunResult> runs) {
        this.mode = mode;
        this.machine = machine;
        this.conditions = conditions;
        for (RunResult run : runs) {
            String fullName = run.getParams().getBenchmark();
            String className = fullName.substring(0, fullName.lastIndexOf('.'));
            Result<?> primary = run.getPrimaryResult();
            scores.add(new Score(className.substring(className.lastIndexOf('.') + 1), fullName.substring(fullName.lastIndexOf('.') + 1),
                    run.getParams().getParam("historyLength"), run.getParams().getThreads(),
                    primary.getScore(), primary.getScoreError(), primary.getScoreUnit()));
        }
        scores.sort(Comparator.comparing(Score::benchmark).thenComparing(Score::method)
                .thenComparing(s -> s.historyLength() == null ? 0 : Integer.parseInt(s.historyLength())));
    }

    List<Score> scores() {
        return scores;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# SQLite store benchmarks, ").append(LocalDate.now()).append("\n\n");
        md.append("- Machine: ").append(machine).append('\n');
        md.append("- Conditions: ").append(conditions).append(" (other processes' CPU and disk use move every figure)\n");
        md.append("- Mode: ").append(mode).append('\n');
        md.append("- Scores: JMH mean ± 99.9% confidence half-width. Command: `parley-bench/run` (see parley-bench/README.md).\n");
        md.append("- Store: `SqliteSessionStore`, WAL, `synchronous=FULL`: every append is durable before it returns.\n\n");

        byHistory(md, "SqliteAppendBenchmark", "appendTurn",
                "Append one turn (user + assistant, one durable write), one writer",
                "History length counts turns (a user message and its reply). Each append waits for its own"
                        + " fsync: a lone writer has no one to share it with.");
        byHistory(md, "SqliteReadBenchmark", "lastTwenty",
                "Read the last 20 entries of main",
                "History length counts turns, so even 10 turns (20 messages and the system prompt) return 20 entries.");

        md.append("## ").append(SqliteThroughputBenchmark.WRITERS).append(" concurrent writers, one session each\n\n");
        md.append("| write | appends/s (all writers) | messages/s |\n|---|---|---|\n");
        Score message = find("SqliteThroughputBenchmark", "appendMessage", null);
        Score turn = find("SqliteThroughputBenchmark", "appendTurn", null);
        if (message != null) {
            md.append("| one ~400-byte message | ").append(message.formatted()).append(" | ").append(number(message.score())).append(" |\n");
        }
        if (turn != null) {
            md.append("| one turn (2 messages) | ").append(turn.formatted()).append(" | ").append(number(2 * turn.score())).append(" |\n");
        }
        if (message != null) {
            md.append("\nTarget: at least ").append(number(THROUGHPUT_TARGET)).append(" durable appends/s with ")
                    .append(SqliteThroughputBenchmark.WRITERS).append(" writers (one message per append): **")
                    .append(message.score() >= THROUGHPUT_TARGET ? "met" : "missed").append("** (")
                    .append(number(message.score())).append(").\n");
        }
        return md.toString();
    }

    private void byHistory(StringBuilder md, String benchmark, String method, String title, String note) {
        md.append("## ").append(title).append("\n\n").append(note).append("\n\n");
        md.append("| history length (turns) | time per operation |\n|---|---|\n");
        for (Score score : scores) {
            if (score.benchmark().equals(benchmark) && score.method().equals(method)) {
                md.append("| ").append(String.format(Locale.ROOT, "%,d", Integer.parseInt(score.historyLength()))).append(" | ")
                        .append(score.formatted()).append(" |\n");
            }
        }
        Score shortest = find(benchmark, method, "10");
        Score longest = find(benchmark, method, "10000");
        if (shortest != null && longest != null) {
            double ratio = longest.score() / shortest.score();
            md.append("\nCost at 10 000 entries ÷ cost at 10: ").append(String.format(Locale.ROOT, "%.2f", ratio))
                    .append(" (target ≤ ").append(FLATNESS_LIMIT).append("): **").append(ratio <= FLATNESS_LIMIT ? "met" : "missed")
                    .append("**.\n");
        }
        md.append('\n');
    }

    private Score find(String benchmark, String method, String historyLength) {
        return scores.stream()
                .filter(s -> s.benchmark().equals(benchmark) && s.method().equals(method)
                        && (historyLength == null || historyLength.equals(s.historyLength())))
                .findFirst().orElse(null);
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

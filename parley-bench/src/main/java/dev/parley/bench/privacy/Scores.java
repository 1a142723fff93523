package dev.parley.bench.privacy;

import dev.parley.privacy.Detector;
import dev.parley.privacy.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Precision and recall of a detector on a corpus, per entity type, counted two ways. Exact: a finding counts only with
 * the gold span's type, start and end. Overlap: a finding counts when it has the gold span's type and shares a character
 * with it (a detector that takes a trailing dot or leaves out a {@code +} is right about the entity, wrong about its
 * edges). Recall is also given per form (how the value was written), and for each kind of hard negative how often some
 * finding touched it.
 */
final class Scores {
    private static final int EXAMPLES = 6;

    /** Counts of one type (or form, or negative kind). */
    static final class Count {
        long truePositives;
        long falsePositives;
        long falseNegatives;

        void add(boolean found) {
            if (found) {
                truePositives++;
            } else {
                falseNegatives++;
            }
        }

        double precision() {
            return truePositives + falsePositives == 0 ? Double.NaN : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return truePositives + falseNegatives == 0 ? Double.NaN : (double) truePositives / (truePositives + falseNegatives);
        }

        long gold() {
            return truePositives + falseNegatives;
        }
    }

    final Map<String, Count> exact = new TreeMap<>();
    final Map<String, Count> overlap = new TreeMap<>();
    /** Recall per type and form, exact spans: key {@code TYPE / form}. */
    final Map<String, Count> forms = new TreeMap<>();
    /** Per negative kind: truePositives = left alone, falsePositives = touched by a finding. */
    final Map<String, Count> negatives = new TreeMap<>();
    /** What touched the negatives: {@code KIND → TYPE}, count. */
    final Map<String, Long> negativeHits = new TreeMap<>();
    /** Gold spans found only as another type: {@code TYPE → other TYPE}, count. */
    final Map<String, Long> confusions = new TreeMap<>();
    final Map<String, List<String>> missedExamples = new TreeMap<>();
    final Map<String, List<String>> falseExamples = new TreeMap<>();

    static Scores of(Detector detector, Corpus corpus) {
        Scores scores = new Scores();
        for (Corpus.Sample sample : corpus.samples()) {
            scores.score(sample, detector.detect(sample.text()));
        }
        return scores;
    }

    private void score(Corpus.Sample sample, List<Finding> found) {
        String text = sample.text();
        for (Corpus.Span gold : sample.gold()) {
            boolean exactHit = false;
            boolean overlapHit = false;
            String otherType = null;
            for (Finding f : found) {
                if (!gold.overlaps(f.start(), f.end())) {
                    continue;
                }
                if (f.type().equals(gold.type())) {
                    overlapHit = true;
                    exactHit |= f.start() == gold.start() && f.end() == gold.end();
                } else {
                    otherType = f.type();
                }
            }
            count(exact, gold.type()).add(exactHit);
            count(overlap, gold.type()).add(overlapHit);
            count(forms, gold.type() + " / " + gold.form()).add(exactHit);
            if (!overlapHit && otherType != null) {
                confusions.merge(gold.type() + " → " + otherType, 1L, Long::sum);
            }
            if (!exactHit) {
                example(missedExamples, gold.type(), (overlapHit ? "edges differ: " : "missed: ") + quote(text, gold.start(), gold.end()));
            }
        }
        for (Finding f : found) {
            boolean exactGold = false;
            boolean overlapGold = false;
            for (Corpus.Span gold : sample.gold()) {
                if (gold.type().equals(f.type()) && gold.overlaps(f.start(), f.end())) {
                    overlapGold = true;
                    exactGold |= f.start() == gold.start() && f.end() == gold.end();
                }
            }
            if (!exactGold) {
                count(exact, f.type()).falsePositives++;
            }
            if (!overlapGold) {
                count(overlap, f.type()).falsePositives++;
                example(falseExamples, f.type(), quote(text, f.start(), f.end()));
            }
        }
        for (Corpus.Span negative : sample.negatives()) {
            String hitBy = null;
            for (Finding f : found) {
                if (negative.overlaps(f.start(), f.end())) {
                    hitBy = f.type();
                }
            }
            Count count = count(negatives, negative.type());
            if (hitBy == null) {
                count.truePositives++;
            } else {
                count.falsePositives++;
                negativeHits.merge(negative.type() + " → " + hitBy, 1L, Long::sum);
            }
        }
    }

    private static Count count(Map<String, Count> counts, String key) {
        return counts.computeIfAbsent(key, k -> new Count());
    }

    private static void example(Map<String, List<String>> examples, String type, String example) {
        List<String> list = examples.computeIfAbsent(type, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    /** The span in its context, on one line: {@code …before [span] after…}. */
    static String quote(String text, int start, int end) {
        int from = Math.max(0, start - 30);
        int to = Math.min(text.length(), end + 30);
        String span = text.substring(start, end);
        if (span.length() > 80) {
            span = span.substring(0, 40) + "…" + span.substring(span.length() - 30);
        }
        return (from > 0 ? "…" : "") + text.substring(from, start) + "[" + span + "]" + text.substring(end, to) + (to < text.length() ? "…" : "");
    }
}

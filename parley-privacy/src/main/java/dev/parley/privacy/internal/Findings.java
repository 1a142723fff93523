package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.Finding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Ordering, checking and overlap resolution of findings. */
public final class Findings {
    /** Text order: by start, then by end. */
    public static final Comparator<Finding> BY_POSITION =
            Comparator.comparingInt(Finding::start).thenComparingInt(Finding::end);

    /** The order in which overlapping findings win: higher score, then longer, then earlier. */
    static final Comparator<Finding> BY_PRIORITY = Comparator.comparingDouble(Finding::score).reversed()
            .thenComparing(Comparator.comparingInt(Finding::length).reversed())
            .thenComparingInt(Finding::start)
            .thenComparing(Finding::type);

    private Findings() {
    }

    /**
     * The findings that survive overlap resolution, in text order, none overlapping another. Greedy by priority; each
     * candidate is checked against its neighbours among those already kept, so the cost is O(k log k).
     */
    public static List<Finding> resolve(List<Finding> findings) {
        if (inOrderAndDisjoint(findings)) {
            return List.copyOf(findings);
        }
        List<Finding> byPriority = new ArrayList<>(findings);
        byPriority.sort(BY_PRIORITY);
        TreeMap<Integer, Finding> kept = new TreeMap<>();
        for (Finding candidate : byPriority) {
            Map.Entry<Integer, Finding> before = kept.floorEntry(candidate.start());
            Map.Entry<Integer, Finding> after = kept.ceilingEntry(candidate.start());
            boolean free = (before == null || before.getValue().end() <= candidate.start())
                    && (after == null || after.getValue().start() >= candidate.end());
            if (free) {
                kept.put(candidate.start(), candidate);
            }
        }
        return List.copyOf(kept.values());
    }

    /** The common case, which needs no sorting: most detectors scan left to right and never overlap themselves. */
    private static boolean inOrderAndDisjoint(List<Finding> findings) {
        for (int i = 1; i < findings.size(); i++) {
            if (findings.get(i).start() < findings.get(i - 1).end()) {
                return false;
            }
        }
        return true;
    }

    /** Rejects findings a detector placed outside the text, then resolves overlaps. */
    public static List<Finding> checked(List<Finding> findings, int textLength, Detector detector) {
        return resolve(withinText(findings, textLength, detector));
    }

    /** Rejects findings a detector placed outside the text. */
    static List<Finding> withinText(List<Finding> findings, int textLength, Detector detector) {
        if (findings == null) {
            throw new IllegalStateException("detector " + detector + " returned null instead of a list of findings");
        }
        for (Finding finding : findings) {
            if (finding == null || finding.end() > textLength) {
                throw new IllegalStateException("detector " + detector + " returned " + finding
                        + ", which is not within a text of length " + textLength);
            }
        }
        return findings;
    }

    /** The findings of {@code sorted} that overlap none of {@code blockers}; both in text order, none overlapping within. */
    public static List<Finding> withoutOverlapsWith(List<Finding> sorted, List<Finding> blockers) {
        List<Finding> out = new ArrayList<>(sorted.size());
        int b = 0;
        for (Finding finding : sorted) {
            while (b < blockers.size() && blockers.get(b).end() <= finding.start()) {
                b++;
            }
            if (b >= blockers.size() || !blockers.get(b).overlaps(finding)) {
                out.add(finding);
            }
        }
        return out;
    }
}

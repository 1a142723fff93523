package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.domain.EntryId;
import dev.parley.domain.Role;

import java.util.List;
import java.util.Locale;

/**
 * The gateway's history rule (DESIGN §7): which of a request's messages R are new, given the session's path P as the
 * client saw it. Messages are compared by {@link Fingerprints}; a message the session redacted matches any message of
 * its role, so a client's own copy of it still lines up.
 * <ol>
 *   <li>R holds no assistant message: all of R is new ({@link Kind#DELTA}).</li>
 *   <li>Otherwise the longest run where R's first j messages equal P[s .. s+j) is found (the latest s on a tie).
 *       j = 0 is a mismatch (409), unless the branch holds nothing but its initial context: then all of R is new.
 *       s + j = |P| appends R[j..] ({@link Kind#APPEND}); else the client edited or regenerated an earlier turn, and
 *       R[j..] continues from P[s+j−1] ({@link Kind#EDIT}).</li>
 *   <li>{@code X-Parley-History: delta | full} overrides the detection.</li>
 * </ol>
 * A run never ends inside a stored message that an OpenAI client sees as several (a tool message with several results).
 */
final class HistoryRule {
    /** More comparisons than this (only highly repetitive histories need them) are refused rather than spent. */
    static final long DEFAULT_MAX_COMPARISONS = 20_000_000;

    /** How the request's history is read: detected, or as the client says. */
    enum Mode {
        AUTO, DELTA, FULL;

        /** The {@code X-Parley-History} header: absent means detect. */
        static Mode of(String header) {
            if (header == null || header.isBlank()) {
                return AUTO;
            }
            return switch (header.strip().toLowerCase(Locale.ROOT)) {
                case "delta" -> DELTA;
                case "full" -> FULL;
                default -> throw new InvalidInputException("X-Parley-History", "X-Parley-History must be delta or full: '"
                        + LogText.escape(header) + "'");
            };
        }
    }

    /** What a request does to the session. */
    enum Kind {
        /** All of R is new: appended at the branch head. */
        DELTA,
        /** R repeats the end of the path; R[fresh..] is appended at the head. */
        APPEND,
        /** R repeats the path up to {@code from} and then differs: R[fresh..] continues from there. */
        EDIT
    }

    /**
     * One message as a client sees it.
     *
     * @param fingerprint its fingerprint; {@code null} for a redacted message, which matches any message of its role
     * @param entry       the entry holding it (path messages only)
     * @param endsEntry   whether it is the last client message of its entry (a run may end here)
     */
    record Unit(String fingerprint, Role role, EntryId entry, boolean endsEntry) {
        static Unit sent(String fingerprint, Role role) {
            return new Unit(fingerprint, role, null, true);
        }

        boolean matches(Unit sent) {
            return fingerprint == null ? role == sent.role : fingerprint.equals(sent.fingerprint);
        }
    }

    /** The outcome: R[fresh..] is new; {@code from} is where an edit continues ({@code null}: the head). */
    record Plan(Kind kind, int fresh, EntryId from) {
    }

    private final long maxComparisons;

    HistoryRule() {
        this(DEFAULT_MAX_COMPARISONS);
    }

    HistoryRule(long maxComparisons) {
        this.maxComparisons = maxComparisons;
    }

    /**
     * @param request       R: the request's messages after its leading system messages
     * @param path          P: the branch's messages, oldest first
     * @param initialUnits  how many of P's first messages are the session's initial context
     */
    Plan plan(List<Unit> request, List<Unit> path, int initialUnits, Mode mode) {
        boolean hasAssistant = request.stream().anyMatch(u -> u.role() == Role.ASSISTANT);
        if (mode == Mode.DELTA || mode == Mode.AUTO && !hasAssistant) {
            return new Plan(Kind.DELTA, 0, null);
        }
        int bestRun = 0;
        int bestStart = -1;
        long comparisons = 0;
        for (int s = 0; path.size() - s >= Math.max(1, bestRun); s++) {
            int k = 0;
            while (k < request.size() && s + k < path.size() && path.get(s + k).matches(request.get(k))) {
                k++;
            }
            comparisons += k + 1;
            if (comparisons > maxComparisons) {
                throw new ApiException(400, "history_too_repetitive", "the request's messages repeat too much to be lined up "
                        + "with the session's history; send the header 'X-Parley-History: delta' with only the new messages");
            }
            while (k > 0 && !path.get(s + k - 1).endsEntry()) {
                k--;
            }
            if (k > 0 && k >= bestRun) {
                bestRun = k;
                bestStart = s;
            }
        }
        if (bestRun == 0) {
            if (path.size() == initialUnits) {
                return new Plan(Kind.DELTA, 0, null);
            }
            throw new ApiException(409, "history_mismatch", "the request's messages do not continue this session: none of "
                    + "them lines up with its history. Send the conversation as this session holds it, only the new messages "
                    + "with the header 'X-Parley-History: delta', or use another X-Parley-Session");
        }
        if (bestStart + bestRun == path.size()) {
            return new Plan(Kind.APPEND, bestRun, null);
        }
        return new Plan(Kind.EDIT, bestRun, path.get(bestStart + bestRun - 1).entry());
    }
}

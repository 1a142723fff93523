package dev.parley.server.internal;

import dev.parley.Session;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionInfo;
import dev.parley.models.chat.CallerView;
import dev.parley.privacy.SessionPrivacy;
import dev.parley.spi.PrivacyHook;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines a gateway request up with a branch of its session: the branch's messages as the client saw them
 * ({@link CallerView}: restored, when the session sanitises) and the request's, fingerprinted, through the
 * {@link HistoryRule}.
 */
final class GatewayHistory {
    private final Fingerprints fingerprints;
    private final HistoryRule rule;

    GatewayHistory(Fingerprints fingerprints, HistoryRule rule) {
        this.fingerprints = fingerprints;
        this.rule = rule;
    }

    /**
     * Whether lining {@code request} up needs the branch's path: only when it may repeat the conversation. Otherwise all
     * of it is new, whatever the branch holds.
     */
    static boolean readsPath(List<Message> request, HistoryRule.Mode mode) {
        return mode == HistoryRule.Mode.FULL
                || mode == HistoryRule.Mode.AUTO && request.stream().anyMatch(m -> m.role() == Role.ASSISTANT);
    }

    /** The plan, and the path it was made against (from the root to the head; empty when it read none). */
    record Lined(HistoryRule.Plan plan, List<Entry> path) {
    }

    /**
     * Which of {@code request} are new on {@code branch} when its head is {@code head}, and where they continue from;
     * {@code info} is the session's row, read with that head.
     */
    Lined plan(Session branch, SessionInfo info, EntryId head, List<Message> request, SessionPrivacy privacy,
               HistoryRule.Mode mode) {
        if (!readsPath(request, mode)) {
            // Nothing is compared, so nothing is fingerprinted: the rule looks at the roles only.
            return new Lined(rule.plan(request.stream().map(m -> HistoryRule.Unit.sent(null, m.role())).toList(), List.of(), 0,
                    mode), List.of());
        }
        List<HistoryRule.Unit> sent = new ArrayList<>();
        for (Message m : request) {
            sent.add(HistoryRule.Unit.sent(fingerprints.of(m).getFirst(), m.role()));
        }
        // A session without a data key has no vault (the key is stored before the first placeholder is): the client saw
        // each message as stored, so the vault is not read and the messages' fingerprints can be kept.
        boolean seenAsStored = !info.settings().containsKey(SessionPrivacy.DATA_KEY_SETTING);
        PrivacyHook.Turn view = seenAsStored ? PrivacyHook.NONE.start(branch) : privacy.start(branch);
        EntryId initialHead = info.initialHead();
        List<HistoryRule.Unit> path = new ArrayList<>();
        int initialUnits = 0;
        List<Entry> history = head == null ? List.of()
                : branch.parley().store().path(branch.tenant(), branch.id(), head, Integer.MAX_VALUE);
        for (Entry entry : history) {
            switch (entry.payload()) {
                case Payload.MessagePayload m -> {
                    List<String> seen = seenAsStored ? fingerprints.ofStored(info, entry.id(), m.message())
                            : fingerprints.of(CallerView.of(view, m.message()));
                    for (int i = 0; i < seen.size(); i++) {
                        path.add(new HistoryRule.Unit(seen.get(i), m.message().role(), entry.id(), i == seen.size() - 1));
                    }
                }
                case Payload.Redacted r -> path.add(new HistoryRule.Unit(null, r.role(), entry.id(), true));
                default -> {
                }
            }
            if (entry.id().equals(initialHead)) {
                initialUnits = path.size();
            }
        }
        return new Lined(rule.plan(sent, path, initialUnits, mode), history);
    }
}

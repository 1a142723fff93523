package dev.parley.server.internal;

import dev.parley.Session;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.models.chat.CallerView;
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

    /** Which of {@code request} are new on {@code branch} when its head is {@code head}, and where they continue from. */
    HistoryRule.Plan plan(Session branch, EntryId head, List<Message> request, PrivacyHook privacy, HistoryRule.Mode mode) {
        List<HistoryRule.Unit> sent = new ArrayList<>();
        for (Message m : request) {
            sent.add(HistoryRule.Unit.sent(fingerprints.of(m).getFirst(), m.role()));
        }
        boolean needsPath = mode == HistoryRule.Mode.FULL
                || mode == HistoryRule.Mode.AUTO && request.stream().anyMatch(m -> m.role() == Role.ASSISTANT);
        if (!needsPath) {
            return rule.plan(sent, List.of(), 0, mode);
        }
        PrivacyHook.Turn view = privacy.start(branch);
        EntryId initialHead = branch.info().initialHead();
        List<HistoryRule.Unit> path = new ArrayList<>();
        int initialUnits = 0;
        List<Entry> history = head == null ? List.of()
                : branch.parley().store().path(branch.tenant(), branch.id(), head, Integer.MAX_VALUE);
        for (Entry entry : history) {
            switch (entry.payload()) {
                case Payload.MessagePayload m -> {
                    List<String> seen = fingerprints.of(CallerView.of(view, m.message()));
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
        return rule.plan(sent, path, initialUnits, mode);
    }
}

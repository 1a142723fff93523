package dev.parley.privacy;

import dev.parley.Session;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.spi.PrivacyHook;
import dev.parley.store.EntryDraft;
import dev.parley.store.WriteRequest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Test helper: what a chat turn does with the privacy hook, without a model. */
final class PrivateTurns {
    private PrivateTurns() {
    }

    /** Sanitises {@code user}, appends it with {@code reply} (as the model wrote it) and the turn's vault rows. */
    static PrivacyHook.Turn turn(SessionPrivacy privacy, Session session, String user, String reply) {
        PrivacyHook.Turn turn = privacy.start(session);
        Message sanitised = turn.sanitise(Message.user(user));
        append(session, turn, List.of(sanitised, Message.assistant(reply)));
        return turn;
    }

    static void append(Session session, PrivacyHook.Turn turn, List<Message> messages) {
        Instant now = session.parley().clock().instant().truncatedTo(ChronoUnit.MILLIS);
        List<EntryDraft> drafts = messages.stream()
                .map(m -> new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(m))).toList();
        session.parley().store().write(session.tenant(), session.id(),
                WriteRequest.builder(now).append(session.branchName(), drafts).vault(turn.newVaultRows()).build());
    }

    /** The session's messages as the caller would see them. */
    static List<String> restoredTexts(SessionPrivacy privacy, Session session) {
        VaultPlaceholderBook book = privacy.book(session);
        return session.messages().stream().map(m -> Restorer.restore(m.text(), book)).toList();
    }
}

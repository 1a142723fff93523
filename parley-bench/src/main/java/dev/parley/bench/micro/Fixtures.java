package dev.parley.bench.micro;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.store.EntryDraft;
import dev.parley.store.WriteRequest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** What the micro-benchmarks share: the messages of the comparison's workload and sessions seeded in bulk. */
final class Fixtures {
    /** A user message of about 120 characters. */
    static final String QUESTION = "Turn 7. Could you remind me what we decided about the retry policy for the payment service, "
            + "and whether the timeout ap";
    /** An assistant reply of about 480 characters. */
    static final String ANSWER = ("Turn 7. We decided on three attempts with exponential backoff starting at two hundred "
            + "milliseconds and full jitter, so that clients retrying together do not hit the service in waves. The timeout "
            + "of two seconds applies to each attempt, not to the whole call; the caller's own deadline bounds the total. "
            + "Idempotency keys make a retried payment safe: the service returns the first result for a key it has already "
            + "seen instead of charging twice. We decided on three attempts with exponential backoff").substring(0, 480);
    /** About 4 KB of prose, the size of a long reply or a pasted document. */
    static final String DOCUMENT = (ANSWER + " ").repeat(9).substring(0, 4096);
    /** A message with an e-mail address, a phone number, a card number and an IBAN among prose. */
    static final String WITH_PII = "Hi, this is Alice Example. Please send the invoice to alice.example@example.com or call me on "
            + "+44 20 7946 0958 before Friday. My card is 4111 1111 1111 1111 and the refund can go to GB82 WEST 1234 5698 7654 32. "
            + "The rest of this message is ordinary prose about the order, the delivery window and the colour of the sofa, "
            + "which should pass through the detectors untouched.";

    private Fixtures() {
    }

    /** A new session on main with {@code messages} alternating user and assistant messages, written 1000 at a time. */
    static Session seed(Parley parley, String id, int messages) {
        Session session = parley.create(SessionSpec.builder().id(id).user("bench").build());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int done = 0; done < messages; ) {
            int batch = Math.min(1000, messages - done);
            List<EntryDraft> drafts = new ArrayList<>(batch);
            for (int i = done; i < done + batch; i++) {
                Message message = i % 2 == 0 ? Message.user(QUESTION) : Message.assistant(ANSWER);
                drafts.add(new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(message)));
            }
            parley.store().write(parley.tenant(), session.id(), WriteRequest.builder(now).append(Names.MAIN, drafts).build());
            done += batch;
        }
        return session;
    }

    static List<Message> turn() {
        return List.of(Message.user(QUESTION), Message.assistant(ANSWER));
    }
}

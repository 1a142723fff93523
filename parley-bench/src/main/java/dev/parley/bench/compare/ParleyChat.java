package dev.parley.bench.compare;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.store.EntryDraft;
import dev.parley.store.SessionStore;
import dev.parley.store.WriteRequest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parley on one of its stores, through the library's API: {@code Session.add(List.of(user, reply))}
 * appends a turn in one durable write, {@code Session.last(20)} walks 20 parent links back from the head.
 */
final class ParleyChat implements ChatSystem {
    /** Entries per seeding write, as an import would batch them. */
    private static final int SEED_BATCH = 1000;

    private final Parley parley;
    private final String configuration;
    private final Map<String, Session> sessions = new HashMap<>();

    /** Takes ownership of {@code store}: closing this closes it. */
    ParleyChat(SessionStore store, String configuration) {
        this.parley = Parley.builder().store(store).build();
        this.configuration = configuration;
    }

    @Override
    public String name() {
        return "parley";
    }

    @Override
    public String configuration() {
        return configuration;
    }

    @Override
    public boolean isParley() {
        return true;
    }

    @Override
    public int window() {
        return EVERYTHING;
    }

    @Override
    public void seed(String conversation, int length) {
        Session session = parley.create(SessionSpec.builder().id(conversation).user("bench").build());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int done = 0; done < length; ) {
            int batch = Math.min(SEED_BATCH, length - done);
            List<EntryDraft> drafts = new ArrayList<>(batch);
            for (int i = done; i < done + batch; i++) {
                Message message = Workload.isUser(i) ? Message.user(Workload.text(i)) : Message.assistant(Workload.text(i));
                drafts.add(new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(message)));
            }
            parley.store().write(parley.tenant(), session.id(), WriteRequest.builder(now).append(Names.MAIN, drafts).build());
            done += batch;
        }
        sessions.put(conversation, session);
    }

    @Override
    public void appendTurn(String conversation, int turn) {
        session(conversation).add(List.of(Message.user(Workload.user(turn)), Message.assistant(Workload.assistant(turn))));
    }

    @Override
    public int readLastTwenty(String conversation) {
        return session(conversation).last(Workload.LAST).size();
    }

    @Override
    public int visible(String conversation) {
        return session(conversation).size();
    }

    /** Every message entry of the session in the store, on the path or not. */
    @Override
    public int held(String conversation) {
        Session session = session(conversation);
        int messages = 0;
        long after = 0;
        while (true) {
            List<Entry> page = parley.store().entries(parley.tenant(), session.id(), after, 1000);
            if (page.isEmpty()) {
                return messages;
            }
            messages += (int) page.stream().filter(e -> e.kind() == EntryKind.MESSAGE).count();
            after = page.getLast().seq();
        }
    }

    private Session session(String conversation) {
        Session session = sessions.get(conversation);
        if (session == null) {
            throw new IllegalStateException("conversation " + conversation + " was never seeded in Parley");
        }
        return session;
    }

    @Override
    public void close() {
        parley.close();
    }
}

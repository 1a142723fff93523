package dev.parley.cli.scale;

import dev.parley.Parley;
import dev.parley.domain.Branch;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionImages;
import dev.parley.store.SessionStores;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what the servers and the store hold against what the clients were told: every acknowledged append exactly
 * once, with the entry ids it was acknowledged with; nothing else; seq growing and parents chaining along the path;
 * and no trace of any refused write.
 */
final class Verifier {
    private static final int PAGE = 100;

    private final Ledger ledger;
    /** Each session's version when it was created. */
    private final Map<String, Long> created;
    private final Map<String, Map<String, Long>> expected = new HashMap<>();
    private final Map<String, List<String>> refused = new HashMap<>();

    Verifier(Ledger ledger, Map<String, Long> created) {
        this.ledger = ledger;
        this.created = Map.copyOf(created);
        for (Ledger.Ack ack : ledger.acks()) {
            Map<String, Long> texts = expected.computeIfAbsent(ack.session(), s -> new LinkedHashMap<>());
            for (Http.Stored entry : ack.entries()) {
                assertThat(texts.put(entry.content(), entry.id())).as("%s acknowledged twice", entry.content()).isNull();
            }
        }
        for (Ledger.Rejection rejection : ledger.rejections()) {
            refused.computeIfAbsent(rejection.session(), s -> new ArrayList<>()).addAll(rejection.texts());
        }
    }

    /** Reads every session through {@code reader}, and the shared one through every server too: all must agree. */
    void throughApi(Http http, List<String> servers, String reader, String shared) throws IOException, InterruptedException {
        for (String session : created.keySet()) {
            List<Http.Stored> path = readPath(http, reader, session);
            checkPath(session, path);
            checkContent(session, path.stream().map(Http.Stored::content).toList(),
                    path.stream().map(Http.Stored::id).toList());
            checkAcknowledgedBatchesAreContiguous(session, path.stream().map(Http.Stored::id).toList());
        }
        List<Http.Stored> first = readPath(http, servers.getFirst(), shared);
        for (String server : servers) {
            assertThat(readPath(http, server, shared)).as("the shared session read through %s", server).isEqualTo(first);
        }
    }

    /** Opens the store itself (the servers are stopped) and checks every entry of every session, on or off the path. */
    void inStore(String location) {
        try (Parley parley = Parley.builder().store(SessionStores.open(location, Clock.systemUTC())).build()) {
            for (Map.Entry<String, Long> session : created.entrySet()) {
                SessionId id = SessionId.of(session.getKey());
                SessionImage image = parley.export(id);
                SessionImages.validate(image);
                assertThat(image.branches()).as("branches of %s", id).extracting(Branch::name).containsExactly("main");
                // A client may, by its dice, never have written to its own session: main is then empty (no head).
                EntryId head = image.branches().getFirst().head();
                List<Entry> path = head == null ? List.of() : parley.store().path(TenantId.DEFAULT, id, head, Integer.MAX_VALUE);
                assertThat(path).as("entries of %s: all on the path of main", id).hasSameSizeAs(image.entries());
                for (int i = 0; i < path.size(); i++) {
                    Entry entry = path.get(i);
                    assertThat(entry.kind()).as("kind of entry %d of %s", entry.seq(), id).isEqualTo(EntryKind.MESSAGE);
                    assertThat(entry.depth()).as("depth of entry %d of %s", entry.seq(), id).isEqualTo(i + 1);
                    assertThat(entry.parent()).as("parent of entry %d of %s", entry.seq(), id)
                            .isEqualTo(i == 0 ? null : path.get(i - 1).id());
                    if (i > 0) {
                        assertThat(entry.seq()).as("seq after entry %d of %s", path.get(i - 1).seq(), id)
                                .isGreaterThan(path.get(i - 1).seq());
                    }
                }
                checkContent(session.getKey(), path.stream().map(e -> e.message().orElseThrow().text()).toList(),
                        path.stream().map(Entry::seq).toList());
                long writes = ledger.acks().stream().filter(a -> a.session().equals(session.getKey())).count();
                assertThat(image.info().version()).as("version of %s: one more per acknowledged append, none per refused one", id)
                        .isEqualTo(session.getValue() + writes);
                assertThat(image.info().lastSeq()).as("last seq of %s", id).isEqualTo(path.isEmpty() ? 0 : path.getLast().seq());
            }
        }
    }

    private void checkPath(String session, List<Http.Stored> path) {
        for (int i = 0; i < path.size(); i++) {
            Http.Stored entry = path.get(i);
            Long parent = i == 0 ? null : path.get(i - 1).id();
            assertThat(entry.parent()).as("parent of entry %d of %s", entry.id(), session).isEqualTo(parent);
            if (parent != null) {
                assertThat(entry.id()).as("seq after entry %d of %s", parent, session).isGreaterThan(parent);
            }
        }
    }

    /** Texts along a path (in order) with their entry ids: exactly the acknowledged ones, once each, and nothing refused. */
    private void checkContent(String session, List<String> texts, List<Long> ids) {
        assertThat(texts).as("texts of %s", session).doesNotHaveDuplicates();
        for (String text : refused.getOrDefault(session, List.of())) {
            assertThat(texts).as("texts of %s, after the refused write of '%s'", session, text).doesNotContain(text);
        }
        Map<String, Long> found = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            found.put(texts.get(i), ids.get(i));
        }
        assertThat(found).as("text -> entry id of %s, against the acknowledgements", session)
                .containsExactlyInAnyOrderEntriesOf(expected.getOrDefault(session, Map.of()));
    }

    /** The messages of one request were appended atomically: nothing from another request landed between them. */
    private void checkAcknowledgedBatchesAreContiguous(String session, List<Long> ids) {
        for (Ledger.Ack ack : ledger.acks()) {
            if (ack.session().equals(session) && ack.entries().size() > 1) {
                int at = ids.indexOf(ack.entries().getFirst().id());
                assertThat(ids.subList(at, at + ack.entries().size())).as("entries of the request %s", ack.key())
                        .isEqualTo(ack.entries().stream().map(Http.Stored::id).toList());
            }
        }
    }

    /** A branch's whole path, oldest first, read page by page backwards from the head as a client would. */
    private static List<Http.Stored> readPath(Http http, String server, String session) throws IOException, InterruptedException {
        List<Http.Stored> path = new ArrayList<>();
        String before = null;
        do {
            Http.Response page = http.get(server, "/v1/sessions/" + session + "/messages?limit=" + PAGE
                    + (before == null ? "" : "&before=" + before));
            assertThat(page.status()).as("reading %s through %s: %s", session, server, page).isEqualTo(200);
            JsonNode json = page.json();
            List<Http.Stored> items = new ArrayList<>();
            json.get("items").forEach(item -> items.add(Http.Stored.of(item)));
            path.addAll(0, items);
            JsonNode next = json.get("nextCursor");
            before = next == null || next.isNull() ? null : next.asString();
        } while (before != null);
        return path;
    }
}

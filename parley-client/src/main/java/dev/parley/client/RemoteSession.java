package dev.parley.client;

import dev.parley.CloneMode;
import dev.parley.ConflictException;
import dev.parley.InvalidInputException;
import dev.parley.Metadata;
import dev.parley.SessionState;
import dev.parley.StateScope;
import dev.parley.WriteOptions;
import dev.parley.api.SessionHandle;
import dev.parley.context.Context;
import dev.parley.context.ContextPolicy;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentMap;

/**
 * A handle on one session of a Parley server, working on one branch: {@link SessionHandle} over the REST API.
 * Every method is one or a few HTTP requests and holds no copy of the session, so any number of clients and
 * servers can work on it. The server sanitises messages of a session created with {@code sanitize} before they
 * are stored and restores them for its own model calls; this client sees what the server stores.
 *
 * <p>A session token (instead of an API key) opens this session only, and only for reading and appending
 * (messages, checkpoints, branches, pins): changing state or metadata, redacting, deleting and unpinning need an
 * API key and are refused with an {@link AccessDeniedException}.
 */
public final class RemoteSession implements SessionHandle {
    private static final int PAGE = 1000;

    private final ParleyClient client;
    private final SessionId id;
    private final UserId user;
    private final String branch;
    private final ConcurrentMap<String, String> temp;

    RemoteSession(ParleyClient client, SessionId id, UserId user, String branch, ConcurrentMap<String, String> temp) {
        this.client = client;
        this.id = id;
        this.user = user;
        this.branch = Names.branch(branch);
        this.temp = temp;
    }

    Transport transport() {
        return client.transport();
    }

    /** The path of this session's endpoint {@code suffix}. */
    String path(String suffix) {
        return "/v1/sessions/" + Transport.segment(id.value()) + suffix;
    }

    private ObjectNode onBranch() {
        return ParleyJson.object().put("branch", branch);
    }

    // ---- identity -----------------------------------------------------------------------------------------

    @Override
    public SessionId id() {
        return id;
    }

    @Override
    public UserId user() {
        return user;
    }

    @Override
    public String branchName() {
        return branch;
    }

    @Override
    public RemoteSession on(String branchName) {
        return new RemoteSession(client, id, user, branchName, temp);
    }

    @Override
    public RemoteSession onCurrentBranch() {
        return on(transport().get(path("/branches")).send().json().get("currentBranch").stringValue());
    }

    @Override
    public SessionInfo info() {
        return Wire.info(transport().get(path("")).send().json());
    }

    /** The newest page of this branch's path: {@code {branch, head, items, nextCursor}}. */
    private JsonNode entriesPage(int limit, String before) {
        return transport().get(path("/entries")).query("branch", branch).query("limit", limit).query("before", before)
                .send().json();
    }

    @Override
    public EntryId head() {
        JsonNode head = entriesPage(1, null).get("head");
        return head.isNull() ? null : EntryId.of(head.longValue());
    }

    // ---- messages -----------------------------------------------------------------------------------------

    @Override
    public List<Entry> add(List<Message> messages, WriteOptions options) {
        if (messages == null || messages.isEmpty()) {
            throw new InvalidInputException("messages", "at least one message is required");
        }
        ObjectNode body = onBranch();
        body.set("messages", Wire.messages(messages));
        if (options.ifHead() != null) {
            body.put("ifHead", options.ifHead().value());
        } else if (options.ifEmpty()) {
            body.putNull("ifHead");
        }
        JsonNode answer = transport().post(path("/messages")).json(body)
                .header("If-Match", options.ifVersion() == null ? null : "\"" + options.ifVersion() + "\"")
                .header("Idempotency-Key", options.idempotencyKey()).send().json();
        return Wire.entries(answer.get("entries"));
    }

    @Override
    public List<Entry> history() {
        return walk(Integer.MAX_VALUE);
    }

    @Override
    public List<Entry> history(int limit) {
        requirePositive("limit", limit);
        return walk(limit);
    }

    /** The last {@code limit} entries of the path, fetched newest page first, returned oldest first. */
    private List<Entry> walk(int limit) {
        List<List<Entry>> pages = new ArrayList<>();
        int found = 0;
        String before = null;
        do {
            JsonNode page = entriesPage(Math.min(PAGE, limit - found), before);
            List<Entry> items = Wire.entries(page.get("items"));
            pages.add(items);
            found += items.size();
            before = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
        } while (before != null && found < limit);
        List<Entry> out = new ArrayList<>(found);
        for (int i = pages.size() - 1; i >= 0; i--) {
            out.addAll(pages.get(i));
        }
        return out;
    }

    @Override
    public List<Entry> lastEntries(int k) {
        requirePositive("k", k);
        List<Entry> found = new ArrayList<>();
        String before = null;
        do {
            JsonNode page = transport().get(path("/messages")).query("branch", branch)
                    .query("limit", Math.min(PAGE, k - found.size())).query("before", before).send().json();
            List<Entry> items = Wire.entries(page.get("items"));
            for (int i = items.size() - 1; i >= 0 && found.size() < k; i--) {
                if (items.get(i).message().isPresent()) {
                    found.add(items.get(i));
                }
            }
            before = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
        } while (before != null && found.size() < k);
        Collections.reverse(found);
        return found;
    }

    @Override
    public int size() {
        JsonNode items = entriesPage(1, null).get("items");
        return items.isEmpty() ? 0 : items.get(0).get("messages").intValue();
    }

    @Override
    public Optional<Entry> entry(EntryId entryId) {
        Transport.Response response = transport().get(path("/entries/" + entryId.value())).exchange();
        if (response.status() == 404 && response.errorCode().filter("entry_not_found"::equals).isPresent()) {
            return Optional.empty();
        }
        if (response.status() >= 400) {
            throw response.error();
        }
        return Optional.of(Wire.entry(response.json()));
    }

    @Override
    public void clear() {
        transport().post(path("/branches/" + Transport.name(branch) + "/clear")).send();
    }

    @Override
    public Entry redact(EntryId entryId, String by) {
        return Wire.entry(transport().delete(path("/messages/" + entryId.value())).query("by", by).send().json());
    }

    @Override
    public Entry edit(EntryId entryId, Message message) {
        ObjectNode body = ParleyJson.message(message).put("branch", branch);
        return Wire.entry(transport().post(path("/messages/" + entryId.value() + "/edit")).json(body).send().json());
    }

    // ---- metadata and state -------------------------------------------------------------------------------

    @Override
    public Metadata metadata() {
        return new RemoteMetadata(this);
    }

    @Override
    public SessionState state() {
        return new SessionState() {
            @Override
            public StateScope session() {
                return new RemoteStateScope(RemoteSession.this, "session");
            }

            @Override
            public StateScope user() {
                return new RemoteStateScope(RemoteSession.this, "user");
            }

            @Override
            public StateScope app() {
                return new RemoteStateScope(RemoteSession.this, "app");
            }

            @Override
            public StateScope temp() {
                return new HandleStateScope(temp);
            }
        };
    }

    @Override
    public List<Entry> stateVersions() {
        return Wire.entries(transport().get(path("/state/versions")).query("branch", branch).send().json().get("items"));
    }

    @Override
    public void restoreState(EntryId version) {
        transport().post(path("/state/versions/" + version.value() + "/restore")).json(onBranch()).send();
    }

    // ---- checkpoints, branches, pins ----------------------------------------------------------------------

    @Override
    public Checkpoint checkpoint(String name, String note) {
        Names.userCheckpoint(name);
        ObjectNode body = onBranch().put("name", name);
        if (note != null) {
            body.put("note", note);
        }
        return Wire.checkpoint(transport().post(path("/checkpoints")).json(body).send().json());
    }

    @Override
    public void checkpointEvery(int n) {
        if (n < 0) {
            throw new InvalidInputException("n", "checkpoint interval must be >= 0: " + n);
        }
        transport().patch(path("")).json(ParleyJson.object().put("checkpointEvery", n)).send();
    }

    @Override
    public void restore(String checkpointName) {
        String name = Names.checkpoint(checkpointName);
        transport().post(path("/checkpoints/" + Transport.name(name) + "/restore")).json(onBranch()).send();
    }

    @Override
    public List<Checkpoint> checkpoints() {
        List<Checkpoint> out = new ArrayList<>();
        transport().get(path("/checkpoints")).send().json().get("items").forEach(c -> out.add(Wire.checkpoint(c)));
        return out;
    }

    @Override
    public Branch branch(String name) {
        return createBranch(onBranch().put("name", Names.branch(name)));
    }

    @Override
    public Branch branch(String name, EntryId from) {
        return createBranch(ParleyJson.object().put("name", Names.branch(name)).put("from", from.value()));
    }

    @Override
    public Branch branchFromCheckpoint(String name, String checkpointName) {
        return createBranch(ParleyJson.object().put("name", Names.branch(name)).put("from", Names.checkpoint(checkpointName)));
    }

    private Branch createBranch(ObjectNode body) {
        return Wire.branch(transport().post(path("/branches")).json(body).send().json());
    }

    @Override
    public RemoteSession fork(EntryId at) {
        String base = "fork/" + at.value();
        for (int n = 1; ; n++) {
            String name = n == 1 ? base : base + "-" + n;
            try {
                branch(name, at);
                return on(name);
            } catch (ConflictException e) {
                if (e.reason() != ConflictException.Reason.ALREADY_EXISTS || n > 1000) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void checkout(String name) {
        transport().post(path("/branches/" + Transport.name(Names.branch(name)) + "/checkout")).send();
    }

    @Override
    public List<Branch> branches() {
        List<Branch> out = new ArrayList<>();
        transport().get(path("/branches")).send().json().get("items").forEach(b -> out.add(Wire.branch(b)));
        return out;
    }

    @Override
    public void deleteBranch(String name) {
        transport().delete(path("/branches/" + Transport.name(Names.branch(name)))).send();
    }

    @Override
    public void pin(EntryId entryId) {
        transport().post(path("/pins")).json(onBranch().put("entry", entryId.value())).send();
    }

    @Override
    public void unpin(EntryId entryId) {
        transport().delete(path("/pins/" + entryId.value())).query("branch", branch).send();
    }

    @Override
    public SortedSet<EntryId> pins() {
        TreeSet<EntryId> pins = new TreeSet<>();
        transport().get(path("/pins")).query("branch", branch).send().json().get("items")
                .forEach(p -> pins.add(EntryId.of(p.longValue())));
        return Collections.unmodifiableSortedSet(pins);
    }

    // ---- talking to a model (on the server) ---------------------------------------------------------------

    /**
     * A chat turn run by the server: it builds the context from the store, calls the session's model (sanitising
     * and restoring if the session asks for it), and appends your message and the reply together. A conflicting
     * write meanwhile is a {@link ConflictException}; quota and budgets are checked before the model is called.
     */
    public ChatReply chat(String content) {
        return ChatTurns.send(this, content, null);
    }

    /** {@link #chat(String)} with an idempotency key: a retry with the same key and content returns the recorded turn. */
    public ChatReply chat(String content, String idempotencyKey) {
        return ChatTurns.send(this, content, idempotencyKey);
    }

    /** A chat turn whose reply text is handed to {@code onText} as it arrives; returns the finished turn. */
    public ChatReply stream(String content, java.util.function.Consumer<String> onText) {
        return ChatTurns.stream(this, content, onText);
    }

    /**
     * A signed session token for this session, valid for {@code ttl} (at most the server's {@code tokenMaxTtl}): hand
     * it to a browser or a worker that must reach this session and nothing else ({@link ParleyClient.Builder#sessionToken}).
     */
    public String token(Duration ttl) {
        return transport().post(path("/tokens")).json(ParleyJson.object().put("ttl", Wire.seconds("ttl", ttl))).send().json()
                .get("token").stringValue();
    }

    // ---- context, export, copies, lifecycle ---------------------------------------------------------------

    @Override
    public Context context(ContextPolicy policy, String model) {
        return Wire.context(transport().get(path("/context")).query("branch", branch).query("policy", Wire.policy(policy))
                .query("model", model).send().json());
    }

    @Override
    public String exportJson() {
        return client.exportJson(id);
    }

    @Override
    public RemoteSession cloneSession(CloneMode mode) {
        return client.clone(id, mode, null, null);
    }

    @Override
    public RemoteSession cloneAt(EntryId at) {
        return client.clone(id, CloneMode.FULL, at, null);
    }

    @Override
    public void expireAfter(Duration ttl, Duration idleTtl) {
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            throw new InvalidInputException("ttl", "ttl must be positive: " + ttl);
        }
        if (idleTtl != null && (idleTtl.isZero() || idleTtl.isNegative())) {
            throw new InvalidInputException("idleTtl", "idleTtl must be positive: " + idleTtl);
        }
        ObjectNode body = ParleyJson.object();
        if (ttl == null) {
            body.putNull("ttl");
        } else {
            body.put("ttl", Wire.seconds("ttl", ttl));
        }
        if (idleTtl == null) {
            body.putNull("idleTtl");
        } else {
            body.put("idleTtl", Wire.seconds("idleTtl", idleTtl));
        }
        transport().patch(path("")).json(body).send();
    }

    @Override
    public boolean delete() {
        return client.delete(id);
    }

    /** Drops this handle's temp state; nothing else is held (every write is durable on the server when it returns). */
    @Override
    public void close() {
        temp.clear();
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new InvalidInputException(field, field + " must be >= 1: " + value);
        }
    }

    @Override
    public String toString() {
        return "RemoteSession[" + client.baseUrl() + " " + id + "@" + branch + "]";
    }
}

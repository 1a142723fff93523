package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.privacy.SessionPrivacy;
import dev.parley.store.Page;
import dev.parley.store.SessionPatch;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.WriteRequest;
import dev.parley.template.SessionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Sessions themselves: create (from a template too), list, info, change, delete; and erasing a user. */
final class SessionRoutes {
    private static final long MAX_TTL_SECONDS = 100L * 365 * 24 * 3600;

    private SessionRoutes() {
    }

    static void register(RouteTable routes) {
        routes.post("/v1/sessions", Access.KEY, "Create a session", SessionRoutes::create)
                .field("id", "string", "1-128 characters of [A-Za-z0-9._-]; default: a generated, unguessable id")
                .field("userId", "string", "the user it belongs to (default: anonymous)")
                .field("systemPrompt", "string", "the system prompt (replaces the template's)")
                .field("initialPrompts", "array", "messages that follow the system prompt in every context")
                .field("metadata", "object", "string values (merged over the template's)")
                .field("state", "object", "initial session-scope state (any JSON values)")
                .field("ttl", "integer", "absolute lifetime in seconds")
                .field("idleTtl", "integer", "expire after this many seconds without a write")
                .field("template", "string", "a template name: coding-assistant, customer-support, creative-writing")
                .field("vars", "object", "the template's variables (strings)")
                .field("model", "object", "model defaults: provider, model, temperature, topK, topP, maxTokens, policy, contextWindow")
                .field("quota", "object", "tokenBudget (lifetime tokens of this session), contextWindow")
                .field("sanitize", "boolean", "sanitise personal data and secrets in this session's chat turns (default: the "
                        + "server's sanitize setting)")
                .field("checkpointEvery", "integer", "checkpoint automatically every N messages")
                .returns(201, "the session (ETag: its version)").returns(409, "the id is taken in this tenant");
        routes.get("/v1/sessions", Access.KEY, "List sessions, newest first", SessionRoutes::list)
                .query("userId", "string", "only this user's sessions").query("cursor", "string", "nextCursor of the previous page")
                .query("limit", "integer", "page size, 1-1000 (default 50)").returns(200, "{items, nextCursor}");
        routes.get("/v1/sessions/{id}", Access.SESSION, "A session: settings, branches, checkpoints, counts, usage, quota",
                SessionRoutes::info).returns(200, "the session (ETag: its version)");
        routes.patch("/v1/sessions/{id}", Access.KEY, "Change metadata, expiry and model defaults", SessionRoutes::patch)
                .field("metadata", "object", "JSON merge patch of string values; null removes a key")
                .field("ttl", "integer", "new absolute lifetime in seconds from now; null removes it")
                .field("idleTtl", "integer", "new idle expiry in seconds; null removes it")
                .field("model", "object", "merge patch of model defaults; null removes one")
                .field("checkpointEvery", "integer", "checkpoint automatically every N messages; 0 or null turns it off")
                .field("systemPrompt", "string", "refused: the initial context is shared by every branch")
                .header("If-Match", "change only if the session is at this version (an ETag), else 409")
                .returns(200, "the session (ETag: its new version)").returns(409, "If-Match names an older version");
        routes.delete("/v1/sessions/{id}", Access.KEY, "Delete a session and everything it holds", SessionRoutes::delete)
                .returns(204, "deleted");
        routes.delete("/v1/users/{userId}", Access.KEY, "Erase a user: their sessions, state, budgets and keys",
                SessionRoutes::eraseUser).returns(200, "{deletedSessions}");
    }

    static void create(Call call) {
        Body body = call.body().only("id", "userId", "systemPrompt", "initialPrompts", "metadata", "state", "ttl", "idleTtl",
                "template", "vars", "model", "quota", "sanitize", "checkpointEvery");
        SessionSpec.Builder spec;
        if (body.has("template")) {
            SessionTemplate template = call.api.templates().require(body.string("template"));
            Map<String, String> vars = body.has("vars") ? body.stringMap("vars") : Map.of();
            spec = template.apply(vars);
        } else {
            if (body.has("vars")) {
                throw new InvalidInputException("vars", "vars fill a template's variables; name the template");
            }
            spec = SessionSpec.builder();
        }
        if (body.has("id")) {
            spec.id(SessionId.of(body.string("id")));
        }
        if (body.has("userId")) {
            spec.user(UserId.of(body.string("userId")));
        }
        if (body.has("systemPrompt")) {
            spec.systemPrompt(body.string("systemPrompt"));
        }
        if (body.has("initialPrompts")) {
            spec.initialPrompts(MessageBodies.parseAll(body.raw("initialPrompts"), "initialPrompts"));
        }
        if (body.has("metadata")) {
            spec.metadata(body.stringMap("metadata"));
        }
        if (body.has("state")) {
            Body state = body.object("state");
            Map<String, JsonNode> values = new LinkedHashMap<>();
            state.node().properties().forEach(e -> values.put(e.getKey(), e.getValue()));
            spec.state(values);
        }
        Long ttl = body.optSeconds("ttl", 1, MAX_TTL_SECONDS);
        if (ttl != null) {
            spec.ttl(Duration.ofSeconds(ttl));
        }
        Long idle = body.optSeconds("idleTtl", 1, MAX_TTL_SECONDS);
        if (idle != null) {
            spec.idleTtl(Duration.ofSeconds(idle));
        }
        if (body.has("model")) {
            spec.modelDefaults(ModelDefaults.read(body.object("model"), false));
        }
        if (body.has("quota")) {
            Body quota = body.object("quota").only("tokenBudget", "contextWindow");
            Long budget = quota.optLong("tokenBudget", 1, Long.MAX_VALUE / 8);
            if (budget != null) {
                spec.tokenBudget(budget);
            }
            Long window = quota.optLong("contextWindow", 256, 100_000_000);
            if (window != null) {
                spec.modelDefault("contextWindow", window.toString());
            }
        }
        Long every = body.optLong("checkpointEvery", 0, 1_000_000);
        if (every != null) {
            spec.checkpointEvery(every.intValue());
        }
        Boolean sanitize = body.optBool("sanitize");
        if (sanitize != null) {
            spec.setting(SessionPrivacy.SANITIZE_SETTING, sanitize.toString());
        }
        Session session = call.parley().create(spec.build());
        call.api.metrics().sessionCreated();
        call.ctx.header("Location", "/v1/sessions/" + session.id());
        respond(call, 201, session);
    }

    static void list(Call call) {
        String user = call.query("userId");
        int limit = call.queryInt("limit", 50, 1, 1000);
        Page<SessionInfo> page = call.parley().list(user == null ? null : UserId.of(user), call.query("cursor"), limit);
        ObjectNode node = ParleyJson.object();
        ArrayNode items = node.putArray("items");
        page.items().forEach(info -> items.add(Views.summary(info)));
        node.put("nextCursor", page.nextCursor());
        call.ok(node);
    }

    static void info(Call call) {
        respond(call, 200, call.session());
    }

    /** The session's full view: row, settings, branches, checkpoints, counts, usage and quota. */
    static void respond(Call call, int status, Session session) {
        SessionSnapshot snapshot = call.parley().store().find(call.principal.tenant(), session.id())
                .orElseThrow(() -> new NotFoundException("no session " + session.id()));
        SessionInfo info = snapshot.info();
        ObjectNode node = Views.info(info, call.api.privacy().isSanitizing(info));
        ArrayNode branches = node.putArray("branches");
        snapshot.branches().values().stream().sorted(java.util.Comparator.comparing(dev.parley.domain.Branch::name))
                .forEach(b -> branches.add(Views.branch(b, info.currentBranch())));
        ArrayNode checkpoints = node.putArray("checkpoints");
        session.checkpoints().forEach(c -> checkpoints.add(Views.checkpoint(c)));
        var analytics = session.analytics(dev.parley.analytics.PriceTable.empty());
        ObjectNode counts = node.putObject("counts");
        counts.put("appended", analytics.messages()).put("entries", info.lastSeq())
                .put("onCurrentBranch", session.on(info.currentBranch()).size());
        ObjectNode byRole = counts.putObject("byRole");
        analytics.messagesByRole().forEach((role, n) -> byRole.put(role.wireName(), n));
        node.putObject("usage").put("tokensIn", analytics.tokensIn()).put("tokensOut", analytics.tokensOut())
                .put("modelCalls", analytics.modelCalls());
        node.set("quota", Quotas.view(call.api, session.on(info.currentBranch()), info, null, null));
        call.etag(info.version());
        call.json(status, node);
    }

    static void patch(Call call) {
        Body body = call.body().only("metadata", "ttl", "idleTtl", "model", "checkpointEvery", "systemPrompt");
        if (body.present("systemPrompt")) {
            throw new InvalidInputException("systemPrompt", "the system prompt cannot be changed: it is part of the initial "
                    + "context that every branch and checkpoint of the session shares; create a new session with the new "
                    + "systemPrompt instead");
        }
        Long ifVersion = call.ifMatch();
        SessionInfo info = call.session().info();
        Map<String, String> putMetadata = new HashMap<>();
        Set<String> removeMetadata = new HashSet<>();
        Map<String, String> metadata = body.stringPatch("metadata");
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (v == null) {
                    removeMetadata.add(k);
                } else {
                    putMetadata.put(k, v);
                }
            });
        }
        Map<String, String> putSettings = new HashMap<>();
        Set<String> removeSettings = new HashSet<>();
        if (body.has("model")) {
            ModelDefaults.read(body.object("model"), true).forEach((k, v) -> {
                if (v == null) {
                    removeSettings.add(dev.parley.Parley.MODEL_SETTING_PREFIX + k);
                } else {
                    putSettings.put(dev.parley.Parley.MODEL_SETTING_PREFIX + k, v);
                }
            });
        }
        if (body.present("checkpointEvery")) {
            Long every = body.optLong("checkpointEvery", 0, 1_000_000);
            if (every == null || every == 0) {
                removeSettings.add(dev.parley.store.WritePlanner.CHECKPOINT_EVERY);
            } else {
                putSettings.put(dev.parley.store.WritePlanner.CHECKPOINT_EVERY, every.toString());
            }
        }
        Map<String, String> checkedKeys = new HashMap<>(putMetadata);
        removeMetadata.forEach(k -> checkedKeys.put(k, ""));
        SessionSpec.builder().metadata(checkedKeys).build();
        SessionPatch.Expiry expiry = null;
        if (body.present("ttl") || body.present("idleTtl")) {
            Long ttl = body.optSeconds("ttl", 1, MAX_TTL_SECONDS);
            Long idle = body.optSeconds("idleTtl", 1, MAX_TTL_SECONDS);
            expiry = new SessionPatch.Expiry(
                    body.present("ttl") ? (ttl == null ? null : call.now().plusSeconds(ttl)) : info.absoluteExpiresAt(),
                    body.present("idleTtl") ? (idle == null ? null : Duration.ofSeconds(idle)) : info.idleTtl());
        }
        SessionPatch patch = new SessionPatch(putMetadata, removeMetadata, putSettings, removeSettings, expiry, null);
        if (!patch.isEmpty()) {
            call.parley().store().write(call.principal.tenant(), info.id(), WriteRequest.builder(call.now())
                    .patch(patch).ifVersion(ifVersion).build());
        } else if (ifVersion != null && ifVersion != info.version()) {
            throw new dev.parley.ConflictException(dev.parley.ConflictException.Reason.VERSION, "session " + info.id()
                    + " is at version " + info.version() + ", not " + ifVersion);
        }
        respond(call, 200, call.session());
    }

    static void delete(Call call) {
        if (!call.parley().delete(call.sessionId())) {
            throw new NotFoundException("no session " + call.sessionId());
        }
        call.api.metrics().sessionDeleted(1);
        call.noContent();
    }

    static void eraseUser(Call call) {
        UserId user = UserId.of(call.ctx.pathParam("userId"));
        int deleted = call.parley().eraseUser(user);
        call.api.metrics().sessionDeleted(deleted);
        call.ok(ParleyJson.object().put("userId", user.value()).put("deletedSessions", deleted));
    }
}

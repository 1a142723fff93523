package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.Session;
import dev.parley.StateScope;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.EntryId;
import dev.parley.domain.Names;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** State in its three stored scopes, checkpoints and branches. */
final class StateRoutes {
    private StateRoutes() {
    }

    static void register(RouteTable routes) {
        routes.get("/v1/sessions/{id}/state", Access.SESSION, "State: session (of a branch), user and app scopes",
                StateRoutes::state).query("branch", "string", "whose session-scope state (default main)")
                .returns(200, "{session, user, app}");
        routes.patch("/v1/sessions/{id}/state", Access.KEY, "Change state: a JSON merge patch per scope (null removes a key)",
                StateRoutes::patchState)
                .field("session", "object", "merge patch of the branch's session-scope state (versioned with the branch)")
                .field("user", "object", "merge patch of the session's user's state").field("app", "object",
                        "merge patch of the tenant's app state").field("branch", "string", "default main")
                .returns(200, "{session, user, app} after the change");
        routes.post("/v1/sessions/{id}/checkpoints", Access.SESSION, "Mark a branch's head with a name", StateRoutes::checkpoint)
                .field("name", "string", "1-100 characters of [A-Za-z0-9._/-], not starting with auto/")
                .field("note", "string", "up to 1000 characters").field("branch", "string", "default main")
                .returns(201, "the checkpoint").returns(409, "the name is taken");
        routes.get("/v1/sessions/{id}/checkpoints", Access.SESSION, "List checkpoints, oldest first", StateRoutes::checkpoints)
                .returns(200, "{items}");
        routes.post("/v1/sessions/{id}/checkpoints/<name>/restore", Access.SESSION,
                "Move a branch back to a checkpoint (its old head is kept as auto/<seq>)", StateRoutes::restore)
                .field("branch", "string", "default main").returns(200, "{branch, head}");
        routes.post("/v1/sessions/{id}/branches", Access.SESSION, "Create a branch", StateRoutes::branch)
                .field("name", "string", "1-100 characters of [A-Za-z0-9._/-]")
                .field("from", "integer|string", "an entry id, or a checkpoint name (default: the head of branch)")
                .field("branch", "string", "with no from: the branch whose head to start at (default main)")
                .returns(201, "the branch").returns(409, "the name is taken");
        routes.get("/v1/sessions/{id}/branches", Access.SESSION, "List branches", StateRoutes::branches).returns(200, "{items}");
        routes.post("/v1/sessions/{id}/branches/<name>/checkout", Access.SESSION, "Make a branch the current one (for people)",
                StateRoutes::checkout).returns(200, "{currentBranch}");
    }

    private static String branchOf(Body body) {
        return body.has("branch") ? Names.branch(body.string("branch")) : Names.MAIN;
    }

    static void state(Call call) {
        Session session = call.session().on(call.query("branch") == null ? Names.MAIN : call.query("branch"));
        call.ok(view(session));
    }

    private static ObjectNode view(Session session) {
        ObjectNode node = ParleyJson.object();
        node.set("session", ParleyJson.mapper().valueToTree(session.state().session().all()));
        node.set("user", ParleyJson.mapper().valueToTree(session.state().user().all()));
        node.set("app", ParleyJson.mapper().valueToTree(session.state().app().all()));
        return node;
    }

    static void patchState(Call call) {
        Body body = call.body().only("session", "user", "app", "branch");
        Session session = call.session().on(branchOf(body));
        session.head(); // a missing branch fails here, before any scope is changed
        Map<String, Body> scopes = new LinkedHashMap<>();
        for (String scope : List.of("session", "user", "app")) {
            if (body.has(scope)) {
                scopes.put(scope, body.object(scope));
                for (String key : body.object(scope).node().propertyNames()) {
                    if (key.isEmpty() || key.length() > 256 || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                        throw new InvalidInputException(scope, "state keys must be 1-256 characters without control characters: '"
                                + LogText.escape(key) + "'");
                    }
                }
            }
        }
        for (Map.Entry<String, Body> e : scopes.entrySet()) {
            StateScope scope = switch (e.getKey()) {
                case "session" -> session.state().session();
                case "user" -> session.state().user();
                default -> session.state().app();
            };
            apply(scope, e.getValue().node());
        }
        call.ok(view(session));
    }

    /** RFC 7396 per key: null removes it, an object merges into an object already there, anything else replaces it. */
    private static void apply(StateScope scope, JsonNode patch) {
        JsonNode current = ParleyJson.mapper().valueToTree(scope.all());
        Map<String, JsonNode> set = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                if (current.has(e.getKey())) {
                    removed.add(e.getKey());
                }
            } else {
                set.put(e.getKey(), merge(current.get(e.getKey()), e.getValue()));
            }
        }
        if (!set.isEmpty()) {
            scope.putAll(set);
        }
        removed.forEach(scope::remove);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : ParleyJson.object();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    static void checkpoint(Call call) {
        Body body = call.body().only("name", "note", "branch");
        Checkpoint checkpoint = call.session().on(branchOf(body)).checkpoint(body.string("name"), body.optString("note"));
        call.json(201, Views.checkpoint(checkpoint));
    }

    static void checkpoints(Call call) {
        ObjectNode node = ParleyJson.object();
        ArrayNode items = node.putArray("items");
        call.session().checkpoints().forEach(c -> items.add(Views.checkpoint(c)));
        call.ok(node);
    }

    static void restore(Call call) {
        Body body = call.optionalBody().only("branch");
        Session branch = call.session().on(branchOf(body));
        branch.restore(call.ctx.pathParam("name"));
        ObjectNode node = ParleyJson.object().put("branch", branch.branchName());
        EntryId head = branch.head();
        node.put("head", head == null ? null : head.value());
        call.etag(branch.version());
        call.ok(node);
    }

    static void branch(Call call) {
        Body body = call.body().only("name", "from", "branch");
        String name = body.string("name");
        JsonNode from = body.raw("from");
        Session session = call.session();
        Branch created;
        if (from == null || from.isNull()) {
            created = session.on(branchOf(body)).branch(name);
        } else if (body.has("branch")) {
            throw new InvalidInputException("branch", "give either from (an entry or a checkpoint) or branch, not both");
        } else if (from.isIntegralNumber()) {
            created = session.branch(name, EntryId.of(from.longValue()));
        } else if (from.isString()) {
            created = session.branchFromCheckpoint(name, from.stringValue());
        } else {
            throw new InvalidInputException("from", "from must be an entry id (a number) or a checkpoint name (a string)");
        }
        call.json(201, Views.branch(created, session.info().currentBranch()));
    }

    static void branches(Call call) {
        Session session = call.session();
        String current = session.info().currentBranch();
        ObjectNode node = ParleyJson.object().put("currentBranch", current);
        ArrayNode items = node.putArray("items");
        session.branches().forEach(b -> items.add(Views.branch(b, current)));
        call.ok(node);
    }

    static void checkout(Call call) {
        call.optionalBody().only();
        Session session = call.session();
        session.checkout(call.ctx.pathParam("name"));
        call.etag(session.version());
        call.ok(ParleyJson.object().put("currentBranch", Names.branch(call.ctx.pathParam("name"))));
    }
}

package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.Session;
import dev.parley.StateScope;
import dev.parley.domain.EntryId;
import dev.parley.domain.Names;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State written value by value (a value replaces the one there, where {@code PATCH /state} merges objects) and the
 * versions of session-scope state: the STATE entries of a path, any of which can be brought back.
 */
final class StateVersionRoutes {
    private StateVersionRoutes() {
    }

    static void register(RouteTable routes) {
        routes.get("/v1/sessions/{id}/state/versions", Access.SESSION, "The versions of a branch's session state, newest first",
                StateVersionRoutes::versions).query("branch", "string", "default main").returns(200, "{branch, items}");
        routes.post("/v1/sessions/{id}/state/versions/{entryId}/restore", Access.KEY,
                "Bring back the session state of a version, as a new version", StateVersionRoutes::restore)
                .field("branch", "string", "default main").returns(200, "{session}: the state after");
        routes.post("/v1/sessions/{id}/state/{scope}", Access.KEY,
                "Set and remove keys of one scope (session, user or app); a value replaces the one there", StateVersionRoutes::set)
                .field("set", "object", "keys and their new values (any JSON but null)")
                .field("remove", "array", "keys to remove").field("branch", "string", "for session scope: default main")
                .returns(200, "{<scope>}: the scope's values after");
    }

    private static Session branch(Session session, Body body) {
        return session.on(body.has("branch") ? Names.branch(body.string("branch")) : Names.MAIN);
    }

    static void versions(Call call) {
        Session branch = call.session().on(call.query("branch") == null ? Names.MAIN : call.query("branch"));
        ObjectNode node = ParleyJson.object().put("branch", branch.branchName());
        node.set("items", Views.entries(branch.stateVersions()));
        call.ok(node);
    }

    static void restore(Call call) {
        Body body = call.optionalBody().only("branch");
        Session branch = branch(call.session(), body);
        branch.restoreState(EntryId.parse(call.ctx.pathParam("entryId")));
        ObjectNode node = ParleyJson.object();
        node.set("session", ParleyJson.mapper().valueToTree(branch.state().session().all()));
        call.etag(branch.version());
        call.ok(node);
    }

    static void set(Call call) {
        String name = call.ctx.pathParam("scope");
        Body body = call.body().only("set", "remove", "branch");
        Session session = branch(call.session(), body);
        session.head(); // a missing branch fails here, before anything is written
        StateScope scope = switch (name) {
            case "session" -> session.state().session();
            case "user" -> session.state().user();
            case "app" -> session.state().app();
            default -> throw new InvalidInputException("scope", "scope must be session, user or app: '" + LogText.escape(name) + "'");
        };
        Map<String, JsonNode> set = new LinkedHashMap<>();
        if (body.has("set")) {
            body.object("set").node().properties().forEach(e -> set.put(e.getKey(), e.getValue()));
        }
        List<String> remove = body.has("remove") ? body.strings("remove") : List.of();
        set.forEach((key, value) -> {
            if (value.isNull()) {
                throw new InvalidInputException("set." + key, "state value for '" + LogText.escape(key)
                        + "' is null; list the key in remove to delete it");
            }
        });
        if (!set.isEmpty()) {
            scope.putAll(set);
        }
        remove.forEach(scope::remove);
        ObjectNode node = ParleyJson.object();
        node.set(name, ParleyJson.mapper().valueToTree(scope.all()));
        call.ok(node);
    }
}

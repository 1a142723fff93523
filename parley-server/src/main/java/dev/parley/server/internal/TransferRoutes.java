package dev.parley.server.internal;

import dev.parley.CloneMode;
import dev.parley.InvalidInputException;
import dev.parley.Session;
import dev.parley.domain.EntryId;
import dev.parley.domain.SessionId;
import dev.parley.json.ParleyJson;
import dev.parley.models.ModelParams;
import dev.parley.privacy.PrivateSessions;
import dev.parley.privacy.SessionPrivacy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/** Whole sessions: clone, merge (each copy of a vault re-keyed for the new session), export in several formats, import. */
final class TransferRoutes {
    private TransferRoutes() {
    }

    static void register(RouteTable routes) {
        routes.post("/v1/sessions/{id}/clone", Access.KEY, "Copy a session into a new one", TransferRoutes::cloneSession)
                .field("id", "string", "the new session's id (default: generated)")
                .field("mode", "string", "full (default: the whole tree) or initial (only the initial context)")
                .field("at", "integer", "with full: copy only the path up to this entry")
                .returns(201, "the new session");
        routes.post("/v1/sessions/merge", Access.KEY, "Merge two sessions into a new one, interleaved by time",
                TransferRoutes::merge)
                .field("sources", "array", "the two session ids").field("id", "string", "the new session's id (default: generated)")
                .returns(201, "the new session");
        routes.get("/v1/sessions/{id}/export", Access.SESSION, "Export a session", TransferRoutes::export)
                .query("format", "string", "parley (default: the whole session, re-importable), openai or anthropic "
                        + "(the current branch's messages as that API takes them)")
                .returns(200, "the document");
        routes.post("/v1/sessions/import", Access.KEY, "Import a session exported in the parley format", TransferRoutes::importSession)
                .query("id", "string", "import under this id instead of the document's")
                .body("a document from GET /v1/sessions/{id}/export").returns(201, "the imported session");
    }

    static void cloneSession(Call call) {
        Body body = call.optionalBody().only("id", "mode", "at");
        String mode = body.has("mode") ? body.string("mode") : "full";
        CloneMode cloneMode = switch (mode) {
            case "full" -> CloneMode.FULL;
            case "initial" -> CloneMode.INITIAL;
            default -> throw new InvalidInputException("mode", "mode must be full or initial: '" + LogText.escape(mode) + "'");
        };
        Long at = body.optLong("at", 1, Long.MAX_VALUE);
        if (at != null && cloneMode == CloneMode.INITIAL) {
            throw new InvalidInputException("at", "at cuts a full clone; an initial clone copies only the initial context");
        }
        SessionId newId = body.has("id") ? SessionId.of(body.string("id")) : null;
        EntryId cut = at == null ? null : EntryId.of(at);
        // A copy of a session with a vault gets its own data key, so the two never share one.
        boolean keyed = call.session().info().settings().containsKey(SessionPrivacy.DATA_KEY_SETTING);
        Session copy = keyed ? new PrivateSessions(call.parley(), call.api.privacy()).cloneSession(call.sessionId(), cloneMode, cut, newId)
                : call.parley().clone(call.sessionId(), cloneMode, cut, newId);
        call.api.metrics().sessionCreated();
        call.ctx.header("Location", "/v1/sessions/" + copy.id());
        SessionRoutes.respond(call, 201, copy);
    }

    static void merge(Call call) {
        Body body = call.body().only("sources", "id");
        List<String> sources = body.strings("sources");
        if (sources == null || sources.size() != 2) {
            throw new InvalidInputException("sources", "sources must name exactly two sessions");
        }
        SessionId newId = body.has("id") ? SessionId.of(body.string("id")) : null;
        Session merged = new PrivateSessions(call.parley(), call.api.privacy()).merge(SessionId.of(sources.get(0)),
                SessionId.of(sources.get(1)), newId);
        call.api.metrics().sessionCreated();
        call.ctx.header("Location", "/v1/sessions/" + merged.id());
        SessionRoutes.respond(call, 201, merged);
    }

    static void export(Call call) {
        String format = call.query("format") == null ? "parley" : call.query("format").toLowerCase(Locale.ROOT);
        Session session = call.session();
        switch (format) {
            case "parley" -> call.ctx.status(200).contentType("application/json").result(session.exportJson());
            case "openai" -> {
                ObjectNode node = ParleyJson.object();
                node.set("messages", ParleyJson.parse(session.onCurrentBranch().exportOpenAi(), "export"));
                call.ok(node);
            }
            case "anthropic" -> {
                List<dev.parley.domain.Message> messages = session.onCurrentBranch().messages();
                if (messages.isEmpty()) {
                    throw new InvalidInputException("session", "session " + session.id() + " has no messages to export");
                }
                JsonNode rendered = ParleyJson.parse(call.api.providers().render("anthropic", null, messages, ModelParams.NONE),
                        "export");
                ObjectNode node = ParleyJson.object();
                node.set("system", rendered.get("system"));
                node.set("messages", rendered.get("messages"));
                call.ok(node);
            }
            default -> throw new InvalidInputException("format", "format must be parley, openai or anthropic: '"
                    + LogText.escape(format) + "'");
        }
    }

    static void importSession(Call call) {
        String body = Body.text(call.ctx);
        if (body.isBlank()) {
            throw new InvalidInputException("body", "an exported session document is required");
        }
        String asId = call.query("id");
        Session imported = call.parley().importJson(body, asId == null ? null : SessionId.of(asId));
        call.api.metrics().sessionCreated();
        call.ctx.header("Location", "/v1/sessions/" + imported.id());
        SessionRoutes.respond(call, 201, imported);
    }
}

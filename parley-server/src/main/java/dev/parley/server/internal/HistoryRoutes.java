package dev.parley.server.internal;

import dev.parley.NotFoundException;
import dev.parley.Session;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.List;

/**
 * The history tree itself, beyond messages: every kind of entry on a path, one entry, editing a past message,
 * starting a branch again, deleting a branch, and pins. What the remote client needs to offer the library's
 * session API unchanged.
 */
final class HistoryRoutes {
    private HistoryRoutes() {
    }

    static void register(RouteTable routes) {
        routes.get("/v1/sessions/{id}/entries", Access.SESSION, "A page of a branch's path, every kind of entry, oldest first",
                HistoryRoutes::page)
                .query("branch", "string", "default main").query("limit", "integer", "1-1000 (default 50)")
                .query("before", "string", "the cursor (an entry id) of the previous page: returns the entries before it")
                .returns(200, "{branch, head, items, nextCursor}; items carry kind, depth, messages and refs");
        routes.get("/v1/sessions/{id}/entries/{entryId}", Access.SESSION, "One entry of the session, on any branch",
                HistoryRoutes::one).returns(200, "the entry").returns(404, "no such session, or no such entry (entry_not_found)");
        routes.post("/v1/sessions/{id}/messages/{entryId}/edit", Access.SESSION,
                "Edit a past message: append the new one beside it and move the branch there (the old head is kept as auto/<seq>)",
                HistoryRoutes::edit)
                .field("role", "string", "system, user, assistant or tool").field("content", "string", "the text")
                .field("parts", "array", "instead of content: [{type: text|tool_call|tool_result|image, …}]")
                .field("name", "string", "the author").field("toolCallId", "string", "for a tool message with content")
                .field("metadata", "object", "string values kept with the message").field("branch", "string", "default main")
                .returns(201, "the new entry (ETag: the session's new version)");
        routes.post("/v1/sessions/{id}/branches/<name>/clear", Access.SESSION,
                "Start a branch again from the initial context (its old head is kept as auto/<seq>)", HistoryRoutes::clear)
                .returns(200, "{branch, head}");
        routes.delete("/v1/sessions/{id}/branches/<name>", Access.KEY,
                "Delete a branch other than main (its head is kept as auto/<seq>)", HistoryRoutes::deleteBranch)
                .returns(204, "deleted");
        routes.get("/v1/sessions/{id}/pins", Access.SESSION, "The entries pinned on a branch's path", HistoryRoutes::pins)
                .query("branch", "string", "default main").returns(200, "{branch, items}");
        routes.post("/v1/sessions/{id}/pins", Access.SESSION, "Pin an entry so every context policy keeps it", HistoryRoutes::pin)
                .field("entry", "integer", "the entry id").field("branch", "string", "default main")
                .returns(200, "{branch, items}");
        routes.delete("/v1/sessions/{id}/pins/{entryId}", Access.KEY, "Unpin an entry", HistoryRoutes::unpin)
                .query("branch", "string", "default main").returns(200, "{branch, items}");
    }

    private static String branch(Call call) {
        return call.query("branch") == null ? Names.MAIN : Names.branch(call.query("branch"));
    }

    static void page(Call call) {
        Session session = call.session().on(branch(call));
        int limit = call.queryInt("limit", 50, 1, 1000);
        String before = call.query("before");
        EntryId head = session.head();
        EntryId cursor = head;
        if (before != null) {
            cursor = session.entry(EntryId.parse(before))
                    .orElseThrow(() -> new NotFoundException("no entry " + LogText.escape(before) + " in session " + session.id()))
                    .parent();
        }
        List<Entry> window = cursor == null ? List.of()
                : call.parley().store().path(call.principal.tenant(), session.id(), cursor, limit + 1);
        String next = null;
        if (window.size() > limit) {
            window = window.subList(1, window.size());
            next = Long.toString(window.getFirst().id().value());
        }
        ObjectNode node = ParleyJson.object().put("branch", session.branchName());
        node.put("head", head == null ? null : head.value());
        node.set("items", Views.entries(window));
        node.put("nextCursor", next);
        call.ok(node);
    }

    static void one(Call call) {
        Session session = call.session();
        String id = call.ctx.pathParam("entryId");
        Entry entry = session.entry(EntryId.parse(id)).orElseThrow(() -> new ApiException(404, "entry_not_found",
                "no entry " + LogText.escape(id) + " in session " + session.id()));
        call.ok(Views.entry(entry));
    }

    static void edit(Call call) {
        String[] fields = Arrays.copyOf(MessageBodies.FIELDS, MessageBodies.FIELDS.length + 1);
        fields[fields.length - 1] = "branch";
        Body body = call.body().only(fields);
        Message message = MessageBodies.parse(body);
        Session session = call.session().on(body.has("branch") ? Names.branch(body.string("branch")) : Names.MAIN);
        Entry edited = session.edit(EntryId.parse(call.ctx.pathParam("entryId")), message);
        call.etag(session.version());
        call.json(201, Views.entry(edited));
    }

    static void clear(Call call) {
        call.optionalBody().only();
        Session branch = call.session().on(call.ctx.pathParam("name"));
        branch.clear();
        EntryId head = branch.head();
        ObjectNode node = ParleyJson.object().put("branch", branch.branchName());
        node.put("head", head == null ? null : head.value());
        call.etag(branch.version());
        call.ok(node);
    }

    static void deleteBranch(Call call) {
        call.session().deleteBranch(call.ctx.pathParam("name"));
        call.noContent();
    }

    private static void respondPins(Call call, Session branch) {
        ObjectNode node = ParleyJson.object().put("branch", branch.branchName());
        ArrayNode items = node.putArray("items");
        branch.pins().forEach(id -> items.add(id.value()));
        call.ok(node);
    }

    static void pins(Call call) {
        respondPins(call, call.session().on(branch(call)));
    }

    static void pin(Call call) {
        Body body = call.body().only("entry", "branch");
        Long entry = body.optLong("entry", 1, Long.MAX_VALUE);
        if (entry == null) {
            throw new dev.parley.InvalidInputException("entry", "entry (the id of the entry to pin) is required");
        }
        Session branch = call.session().on(body.has("branch") ? Names.branch(body.string("branch")) : Names.MAIN);
        branch.pin(EntryId.of(entry));
        respondPins(call, branch);
    }

    static void unpin(Call call) {
        Session branch = call.session().on(branch(call));
        branch.unpin(EntryId.parse(call.ctx.pathParam("entryId")));
        respondPins(call, branch);
    }
}

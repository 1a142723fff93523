package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.Session;
import dev.parley.analytics.Counters;
import dev.parley.context.Context;
import dev.parley.context.ContextMessage;
import dev.parley.context.ContextPolicy;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionInfo;
import dev.parley.json.ParleyJson;
import dev.parley.store.EntryDraft;
import dev.parley.store.Idempotency;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Messages of a session: append (conditional, idempotent), read a page of a path, redact one, show the context. */
final class MessageRoutes {
    private MessageRoutes() {
    }

    static void register(RouteTable routes) {
        routes.post("/v1/sessions/{id}/messages", Access.SESSION, "Append messages to a branch", MessageRoutes::append)
                .field("role", "string", "system, user, assistant or tool")
                .field("content", "string", "the text (for a tool message: the result of toolCallId)")
                .field("parts", "array", "instead of content: [{type: text|tool_call|tool_result|image, …}]")
                .field("name", "string", "the author (a person or an agent)")
                .field("toolCallId", "string", "for a tool message with content: the call it answers")
                .field("metadata", "object", "string values kept with the message")
                .field("messages", "array", "instead of one message: several, appended atomically in order")
                .field("branch", "string", "default main")
                .field("ifHead", "integer", "append only if the branch's head is this entry (null: only if the branch is empty), else 409")
                .header("Idempotency-Key", "a retry with the same key and body returns the original entries; another body is 422")
                .header("If-Match", "append only if the session is at this version (an ETag), else 409")
                .returns(201, "{entries} (ETag: the session's new version)")
                .returns(200, "a replay of an Idempotency-Key already used with the same body (Idempotent-Replay: true)")
                .returns(409, "If-Match names an older version, or ifHead another head")
                .returns(422, "the Idempotency-Key was used with another body");
        routes.get("/v1/sessions/{id}/messages", Access.SESSION, "A page of a branch's messages, oldest first",
                MessageRoutes::page)
                .query("branch", "string", "default main").query("limit", "integer", "1-1000 (default 50)")
                .query("before", "string", "the cursor (an entry id) of the previous page: returns the messages before it")
                .returns(200, "{items, nextCursor}");
        routes.delete("/v1/sessions/{id}/messages/{entryId}", Access.KEY, "Redact one message (a tombstone keeps who and when)",
                MessageRoutes::redact).query("by", "string", "on whose behalf (recorded after the caller: key:<id> for <by>)")
                .returns(200, "the tombstone entry (ETag: the session's new version)");
        routes.get("/v1/sessions/{id}/context", Access.SESSION, "What a model would be sent now, with token counts",
                MessageRoutes::context)
                .query("policy", "string", "all, last:N or tokens:MAX[:RESERVE] (default: the session's, else all)")
                .query("format", "string", "also render the request body of openai, anthropic, gemini or ollama")
                .query("model", "string", "the model to count tokens for and to name in the rendering")
                .query("branch", "string", "default main").returns(200, "{messages, totalTokens, …, request?}");
    }

    static void append(Call call) {
        Body body = call.body();
        String branch = Names.branch(body.has("branch") ? body.string("branch") : Names.MAIN);
        List<Message> messages;
        if (body.present("messages")) {
            body.only("messages", "branch", "ifHead");
            messages = MessageBodies.parseAll(body.raw("messages"), "messages");
            if (messages.isEmpty()) {
                throw new InvalidInputException("messages", "messages must hold at least one message");
            }
        } else {
            String[] fields = java.util.Arrays.copyOf(MessageBodies.FIELDS, MessageBodies.FIELDS.length + 2);
            fields[fields.length - 2] = "branch";
            fields[fields.length - 1] = "ifHead";
            messages = List.of(MessageBodies.parse(body.only(fields)));
        }
        Long ifVersion = call.ifMatch();
        String key = call.ctx.header("Idempotency-Key");
        Instant now = call.now();
        List<EntryDraft> drafts = messages.stream()
                .map(m -> new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(m))).toList();
        WriteRequest.Builder request = WriteRequest.builder(now).append(branch, drafts).ifVersion(ifVersion);
        Counters.forMessages(messages).forEach(request::counter);
        if (body.present("ifHead")) {
            Long head = body.optLong("ifHead", 1, Long.MAX_VALUE);
            request.ifHead(branch, head == null ? null : EntryId.of(head));
        }
        if (key != null) {
            request.idempotency(new Idempotency(key, requestHash(branch, messages)));
        }
        WriteResult result = call.parley().store().write(call.principal.tenant(), call.sessionId(), request.build());
        ObjectNode node = ParleyJson.object();
        node.set("entries", Views.entries(result.appended()));
        call.etag(result.version());
        if (result.replayed()) {
            call.ctx.header("Idempotent-Replay", "true");
        }
        call.json(result.replayed() ? 200 : 201, node);
    }

    /**
     * The same hash the library's {@code Session.add} records for an idempotency key, so a retry through the API of
     * an append made by the library (or the reverse) is recognised as the same request.
     */
    private static String requestHash(String branch, List<Message> messages) {
        StringBuilder canonical = new StringBuilder(branch).append('\n');
        for (Message m : messages) {
            canonical.append(ParleyJson.write(ParleyJson.message(m))).append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void page(Call call) {
        Session session = call.session().on(call.query("branch") == null ? Names.MAIN : call.query("branch"));
        int limit = call.queryInt("limit", 50, 1, 1000);
        String before = call.query("before");
        EntryId cursor;
        if (before == null) {
            cursor = session.head();
        } else {
            Entry start = session.entry(EntryId.parse(before))
                    .orElseThrow(() -> new NotFoundException("no entry " + LogText.escape(before) + " in session " + session.id()));
            cursor = start.parent();
        }
        List<Entry> found = new ArrayList<>();
        while (cursor != null && found.size() <= limit) {
            List<Entry> window = call.parley().store().path(call.principal.tenant(), session.id(), cursor,
                    Math.max(16, limit + 1 - found.size()));
            for (int i = window.size() - 1; i >= 0 && found.size() <= limit; i--) {
                if (window.get(i).kind() == EntryKind.MESSAGE) {
                    found.add(window.get(i));
                }
            }
            cursor = window.getFirst().parent();
        }
        String next = null;
        if (found.size() > limit) {
            found.removeLast();
            next = Long.toString(found.getLast().id().value());
        }
        Collections.reverse(found);
        ObjectNode node = ParleyJson.object().put("branch", session.branchName());
        node.set("items", Views.entries(found));
        node.put("nextCursor", next);
        call.ok(node);
    }

    static void redact(Call call) {
        Session session = call.session();
        String by = call.query("by");
        if (by != null && (by.length() > 200 || by.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new InvalidInputException("by", "by must be at most 200 characters without control characters");
        }
        Entry tombstone = session.redact(EntryId.parse(call.ctx.pathParam("entryId")),
                by == null ? call.principal.label() : call.principal.label() + " for " + by);
        call.etag(session.version());
        call.ok(Views.entry(tombstone));
    }

    static void context(Call call) {
        Session session = call.session();
        SessionInfo info = session.info();
        Session branch = session.on(call.query("branch") == null ? Names.MAIN : call.query("branch"));
        String model = Quotas.model(call.api, info, call.query("model"));
        String format = call.query("format") == null ? "parley" : call.query("format").toLowerCase(Locale.ROOT);
        if (!format.equals("parley") && !Providers.FORMATS.contains(format)) {
            throw new InvalidInputException("format", "format must be one of parley, " + String.join(", ", Providers.FORMATS)
                    + ": '" + LogText.escape(format) + "'");
        }
        String renderModel = format.equals("parley") ? model : Providers.renderModel(format, model);
        ContextPolicy policy = Quotas.policy(info, call.query("policy"));
        Context context = branch.context(policy, Quotas.tokens(call.api, renderModel));
        ObjectNode node = ParleyJson.object().put("branch", branch.branchName()).put("model", renderModel)
                .put("totalTokens", context.totalTokens()).put("omittedMessages", context.omittedMessages())
                .put("truncated", context.truncated());
        ArrayNode messages = node.putArray("messages");
        for (ContextMessage m : context.messages()) {
            ObjectNode item = ParleyJson.message(m.message()).put("tokens", m.tokens())
                    .put("source", m.source().name().toLowerCase(Locale.ROOT));
            if (m.entry() != null) {
                item.put("entry", m.entry().value());
            }
            messages.add(item);
        }
        if (!format.equals("parley")) {
            if (context.messages().isEmpty()) {
                throw new InvalidInputException("session", "session " + session.id() + " has no messages to render");
            }
            node.set("request", ParleyJson.parse(call.api.providers().render(format, renderModel, context.toMessages(),
                    ModelDefaults.params(Views.modelDefaults(info))), "rendered request"));
        }
        call.ok(node);
    }
}

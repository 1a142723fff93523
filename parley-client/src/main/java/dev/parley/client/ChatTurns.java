package dev.parley.client;

import dev.parley.domain.Message;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Chat turns over {@code POST /v1/sessions/{id}/chat}: a JSON answer, or server-sent events when streaming. */
final class ChatTurns {
    private ChatTurns() {
    }

    static ChatReply send(RemoteSession session, String content, String idempotencyKey) {
        return reply(session.transport().post(session.path("/chat")).json(body(session, content, false))
                .header("Idempotency-Key", idempotencyKey).send().json());
    }

    /**
     * Streams a turn: {@code delta} events go to {@code onText} as they arrive, then {@code done} carries the turn, or
     * {@code error} the failure (mapped as the same error would be without streaming).
     */
    static ChatReply stream(RemoteSession session, String content, Consumer<String> onText) {
        try (Stream<String> lines = session.transport().post(session.path("/chat")).json(body(session, content, true)).lines()) {
            String event = null;
            StringBuilder data = new StringBuilder();
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && event != null) {
                    switch (event) {
                        case "delta" -> onText.accept(ParleyJson.parse(data.toString(), "delta event").get("text").stringValue());
                        case "done" -> {
                            return reply(ParleyJson.parse(data.toString(), "done event"));
                        }
                        case "error" -> throw Errors.map(statusOf(data.toString()), data.toString(), Optional.empty());
                        default -> {
                            // events this client does not know are skipped, as the SSE format asks of clients
                        }
                    }
                    event = null;
                    data.setLength(0);
                }
            }
        }
        throw new RemoteException(0, "incomplete", "the server closed the stream of a chat turn of session " + session.id()
                + " before the turn finished; the turn may or may not have been appended", (String) null);
    }

    private static ObjectNode body(RemoteSession session, String content, boolean stream) {
        ObjectNode body = ParleyJson.object().put("content", content).put("branch", session.branchName());
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private static ChatReply reply(JsonNode turn) {
        JsonNode reply = turn.get("reply");
        ObjectNode message = ParleyJson.object().put("role", "assistant");
        if (reply.has("parts")) {
            message.set("parts", reply.get("parts"));
        } else {
            message.putArray("parts").addObject().put("type", "text").put("text", reply.get("content").stringValue());
        }
        JsonNode usage = turn.get("usage");
        return new ChatReply(ParleyJson.message(message, "reply"), Wire.entries(turn.get("entries")),
                usage.get("inputTokens").longValue(), usage.get("outputTokens").longValue(), turn.get("branch").stringValue(),
                turn.get("provider").stringValue(), turn.path("model").isString() ? turn.get("model").stringValue() : null);
    }

    /** An error event carries no status line: the status the same error has as a plain answer, by its code. */
    private static int statusOf(String errorBody) {
        String code = Errors.code(errorBody).orElse("internal");
        return switch (code) {
            case "not_found" -> 404;
            case "version_conflict", "head_conflict", "already_exists", "vault_conflict", "in_flight" -> 409;
            case "idempotency_mismatch", "budget_exceeded", "quota_exceeded", "context_length_exceeded" -> 422;
            case "store_unavailable", "model_unavailable", "model_rate_limited" -> 503;
            case "model_timeout" -> 504;
            default -> code.startsWith("model_") ? 502 : 500;
        };
    }
}

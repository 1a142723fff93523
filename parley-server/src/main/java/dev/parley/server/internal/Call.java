package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.domain.SessionId;
import dev.parley.json.ParleyJson;
import io.javalin.http.Context;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One authenticated API call: the request, who makes it, and the helpers every endpoint needs. */
final class Call {
    static final String PRINCIPAL = "parley.principal";
    private static final Pattern IF_MATCH = Pattern.compile("(?:W/)?\"?([0-9]{1,18})\"?");

    final Context ctx;
    final Principal principal;
    final Api api;

    Call(Context ctx, Principal principal, Api api) {
        this.ctx = ctx;
        this.principal = principal;
        this.api = api;
    }

    /** The engine in the caller's tenant. */
    Parley parley() {
        return api.parley(principal.tenant());
    }

    SessionId sessionId() {
        return SessionId.of(ctx.pathParam("id"));
    }

    /** The session in the path, in the caller's tenant; another tenant's is "not found". */
    Session session() {
        return parley().open(sessionId());
    }

    Instant now() {
        return api.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    Body body() {
        return Body.required(ctx);
    }

    Body optionalBody() {
        return Body.optional(ctx);
    }

    String query(String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isEmpty() ? null : value;
    }

    int queryInt(String name, int fallback, int min, int max) {
        String value = query(name);
        if (value == null) {
            return fallback;
        }
        String rule = name + " must be a whole number from " + min + " to " + max + ": '" + LogText.escape(value) + "'";
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, rule);
        }
        if (parsed < min || parsed > max) {
            throw new InvalidInputException(name, rule);
        }
        return parsed;
    }

    /** The version an {@code If-Match} header requires ({@code "7"}, {@code 7} or {@code W/"7"}), or null. */
    Long ifMatch() {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return null;
        }
        Matcher m = IF_MATCH.matcher(header.strip());
        if (!m.matches()) {
            throw new InvalidInputException("If-Match", "If-Match must be the session version from an ETag, e.g. \"7\": '"
                    + LogText.escape(header) + "'");
        }
        return Long.parseLong(m.group(1));
    }

    void etag(long version) {
        ctx.header("ETag", "\"" + version + "\"");
    }

    void json(int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(ParleyJson.write(body));
    }

    void ok(JsonNode body) {
        json(200, body);
    }

    void noContent() {
        ctx.status(204);
    }
}

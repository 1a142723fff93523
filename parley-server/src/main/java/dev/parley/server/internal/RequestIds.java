package dev.parley.server.internal;

import io.javalin.http.Context;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives each request an id (the caller's {@code X-Request-Id} when it is a plain token, else a random one),
 * returned in the {@code X-Request-Id} header and written in the access log and in every error body.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "parley.requestId";

    private RequestIds() {
    }

    static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id;
        if (given != null && plainToken(given)) {
            id = given;
        } else {
            // A request id only ties log lines together and grants nothing, so it need not be unguessable: a
            // SecureRandom (a lock and a read of the system's entropy) took 1% of the server's Java samples per append.
            id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        }
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /** 8-64 characters of {@code [A-Za-z0-9._-]}: safe to echo in a header and to write in a log line. */
    static boolean plainToken(String value) {
        if (value.length() < 8 || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    static String of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }
}

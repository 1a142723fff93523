package dev.parley.server.internal;

import io.javalin.http.Context;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Gives each request an id (the caller's {@code X-Request-Id} when it is a plain token, else a random one),
 * returned in the {@code X-Request-Id} header and written in the access log and in every error body.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "parley.requestId";
    private static final Pattern GIVEN = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {
    }

    static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id;
        if (given != null && GIVEN.matcher(given).matches()) {
            id = given;
        } else {
            byte[] bytes = new byte[8];
            RANDOM.nextBytes(bytes);
            id = HexFormat.of().formatHex(bytes);
        }
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    static String of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }
}

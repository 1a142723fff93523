package dev.parley.server.internal;

import dev.parley.security.SessionToken;
import dev.parley.security.SessionTokens;
import dev.parley.server.ApiKeys;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.Locale;

/**
 * Decides who a request comes from ({@code Authorization: Bearer <API key | session token>}) and whether they may
 * call the endpoint. A session token is told apart by its dot (API keys have none); it is verified by signature
 * and expiry and then only opens GET and POST on its own session (and the gateway, for the session it names).
 */
final class Authenticator {
    private final ApiKeys keys;
    private final SessionTokens tokens;

    Authenticator(ApiKeys keys, SessionTokens tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    Principal authenticate(Context ctx, Access access) {
        if (access == Access.PUBLIC) {
            return null;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("unauthorized", "missing credentials: send 'Authorization: Bearer <API key or "
                    + "session token>'");
        }
        if (header.length() < 8 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw ApiException.unauthorized("unauthorized", "the Authorization header must use the Bearer scheme");
        }
        String credential = header.substring(7).strip();
        if (credential.indexOf('.') >= 0) {
            return token(ctx, access, tokens.verify(credential));
        }
        ApiKeys.Key key = keys.authenticate(credential).orElseThrow(() ->
                ApiException.unauthorized("unauthorized", "unknown or revoked API key"));
        Principal.KeyHolder holder = new Principal.KeyHolder(key);
        if (access == Access.ADMIN && !holder.isAdmin()) {
            throw ApiException.forbidden("this endpoint needs an admin API key");
        }
        return holder;
    }

    private static Principal token(Context ctx, Access access, SessionToken token) {
        if (access == Access.GATEWAY) {
            String named = ctx.header(GatewayRoutes.SESSION_HEADER);
            if (named == null || !token.session().value().equals(named.strip())) {
                throw ApiException.forbidden("a session token opens the gateway only for its own session: send it with the "
                        + "header " + GatewayRoutes.SESSION_HEADER + ": " + token.session());
            }
            return new Principal.TokenHolder(token);
        }
        if (access != Access.SESSION) {
            throw ApiException.forbidden("a session token only opens its own session's endpoints; this one needs an API key");
        }
        if (!ctx.method().equals(HandlerType.GET) && !ctx.method().equals(HandlerType.POST)) {
            throw ApiException.forbidden("a session token may read and append (GET, POST), not " + ctx.method());
        }
        String id = ctx.pathParam("id");
        if (!token.session().value().equals(id)) {
            throw ApiException.forbidden("this session token grants another session");
        }
        return new Principal.TokenHolder(token);
    }
}

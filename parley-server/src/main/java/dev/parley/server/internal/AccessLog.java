package dev.parley.server.internal;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;

/**
 * One line per request on the logger {@code dev.parley.server.access}: request id, method, route template, path,
 * status, duration, tenant and credential id. Never a body, a query string, a header or a key: message contents and
 * secrets cannot reach it. Also records the request into the metrics.
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.parley.server.access");

    private final Metrics metrics;
    private final boolean enabled;

    AccessLog(Metrics metrics, boolean enabled) {
        this.metrics = metrics;
        this.enabled = enabled;
    }

    void record(Context ctx, Float millis) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? "unmatched" : matched.path;
        int status = ctx.statusCode();
        double ms = millis == null ? 0 : millis;
        metrics.request(ctx.method().name(), route, status, Duration.ofNanos((long) (ms * 1_000_000)));
        if (enabled && LOG.isInfoEnabled()) {
            Principal principal = ctx.attribute(Call.PRINCIPAL);
            LOG.info("request_id={} method={} route={} path=\"{}\" status={} ms={} tenant={} by={}", RequestIds.of(ctx),
                    ctx.method(), route, LogText.escape(ctx.path()), status, String.format(Locale.ROOT, "%.1f", ms),
                    principal == null ? "-" : principal.tenant(), principal == null ? "-" : principal.label());
        }
    }
}

package dev.parley.server.internal;

import dev.parley.Parley;
import dev.parley.domain.TenantId;
import dev.parley.privacy.SessionPrivacy;
import dev.parley.security.SessionTokens;
import dev.parley.server.ApiKeys;
import dev.parley.server.ServerConfig;
import dev.parley.template.TemplateRegistry;
import dev.parley.tokens.Calibration;

import java.time.Clock;

/**
 * What every endpoint works with: the configuration, the engine over the (timed) store, auth, limits and meters, the
 * model providers and the gateway's upstream, and the privacy layer every chat turn goes through.
 */
record Api(ServerConfig config, Clock clock, Parley root, ApiKeys keys, SessionTokens tokens, Authenticator authenticator,
           RateLimiter rateLimiter, Metrics metrics, Providers providers, Upstream upstream, SessionPrivacy privacy,
           Fingerprints fingerprints, TemplateRegistry templates, Calibration calibration, ErrorMapper errors) {

    /** The engine scoped to one tenant: every read and write it makes stays in that tenant. */
    Parley parley(TenantId tenant) {
        return root.forTenant(tenant);
    }
}

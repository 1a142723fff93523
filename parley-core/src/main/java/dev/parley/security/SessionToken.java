package dev.parley.security;

import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified session token grants: access to one session of one tenant until {@code expiresAt}.
 *
 * @param keyId the id of the secret that signed it (so secrets can be rotated)
 */
public record SessionToken(String keyId, TenantId tenant, SessionId session, Instant expiresAt) {
    public SessionToken {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether this token grants access to {@code id} in {@code tenantId}. */
    public boolean grants(TenantId tenantId, SessionId id) {
        return tenant.equals(tenantId) && session.equals(id);
    }
}

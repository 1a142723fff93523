package dev.parley.server.internal;

import dev.parley.domain.TenantId;
import dev.parley.security.SessionToken;
import dev.parley.server.ApiKeys;

/** Who is calling: an API key of a tenant, or a session token granting one session. */
sealed interface Principal {
    TenantId tenant();

    /** What rate limits are counted against. */
    String rateKey();

    /** How the caller is named in the access log and in redaction tombstones (never a secret). */
    String label();

    record KeyHolder(ApiKeys.Key key) implements Principal {
        @Override
        public TenantId tenant() {
            return key.tenant();
        }

        @Override
        public String rateKey() {
            return "key:" + key.id();
        }

        @Override
        public String label() {
            return "key:" + key.id();
        }

        boolean isAdmin() {
            return key.role() == ApiKeys.Role.ADMIN;
        }
    }

    record TokenHolder(SessionToken token) implements Principal {
        @Override
        public TenantId tenant() {
            return token.tenant();
        }

        @Override
        public String rateKey() {
            return "token:" + token.tenant() + "/" + token.session();
        }

        @Override
        public String label() {
            return "token:" + token.session();
        }
    }
}

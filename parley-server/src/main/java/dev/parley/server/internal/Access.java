package dev.parley.server.internal;

/** Who may call an endpoint. */
enum Access {
    /** Anyone: health, metrics, the API description. */
    PUBLIC,
    /** An API key; the call works in the key's tenant. */
    KEY,
    /**
     * An API key, or a session token for the session in the path: a token reads and appends to its own
     * session (GET and POST), nothing else.
     */
    SESSION,
    /**
     * The OpenAI-compatible gateway: an API key, or a session token for the session the {@code X-Parley-Session} header
     * names (an OpenAI SDK sends its API key as a Bearer token, so either can be configured as the SDK's key).
     */
    GATEWAY,
    /** An admin API key. */
    ADMIN
}

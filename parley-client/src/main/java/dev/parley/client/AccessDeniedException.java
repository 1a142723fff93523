package dev.parley.client;

/**
 * The server refused the credential: 401 when it is missing, unknown, revoked, forged or expired (code
 * {@code unauthorized}, {@code invalid_token}, {@code token_expired}), 403 when it is valid but may not call
 * that endpoint (a session token used on another session, or for a write only API keys may make).
 * Retrying with the same credential does not help.
 */
public final class AccessDeniedException extends RemoteException {
    public AccessDeniedException(int status, String code, String message, String requestId) {
        super(status, code, message, requestId);
    }

    /** Whether the credential itself was refused (401), rather than this use of it (403). */
    public boolean unauthenticated() {
        return status() == 401;
    }
}

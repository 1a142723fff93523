package dev.parley.security;

import dev.parley.ParleyException;

/**
 * A session token was refused. The message says why but never repeats the token, so it can be shown to the
 * caller and logged.
 */
public final class InvalidSessionTokenException extends ParleyException {
    /** Why a token was refused; lets a server choose its error code without parsing messages. */
    public enum Reason {
        /** Not a token this library issues (wrong shape, bad encoding, missing or wrong fields). */
        MALFORMED,
        /** Signed with a secret this verifier does not know (rotated away, or from another deployment). */
        UNKNOWN_KEY,
        /** The signature does not match: the token was altered or forged. */
        BAD_SIGNATURE,
        /** Valid, but past its expiry. */
        EXPIRED
    }

    private final Reason reason;

    public InvalidSessionTokenException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

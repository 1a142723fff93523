package dev.parley.privacy;

import dev.parley.ParleyException;

/**
 * A session's vault cannot give a correct answer: a row was altered or moved (AES-GCM authentication failed), a row
 * does not hold what its lookup says, or the key of the session's user was erased. Raised instead of ever restoring a
 * wrong value or leaving a placeholder silently unrestored.
 */
public final class VaultException extends ParleyException {
    public VaultException(String message) {
        super(message);
    }

    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}

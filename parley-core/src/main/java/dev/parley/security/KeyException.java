package dev.parley.security;

import dev.parley.ParleyException;

/**
 * A key could not be used: a master key is malformed or not configured, a user's key was erased, or a wrapped key
 * or sealed value failed authentication (it was altered, or it belongs to another key). Never retried: the same
 * input fails the same way. The message names the key by its id, never by its bytes.
 */
public final class KeyException extends ParleyException {
    public KeyException(String message) {
        super(message);
    }

    public KeyException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.parley.security;

import javax.crypto.SecretKey;
import java.util.Objects;

/**
 * One user's key-encryption key: it wraps the data keys of that user's sessions. Its id travels in every data key it
 * wraps, so a data key left over from a user who was erased (and maybe came back with a new key) is recognised as
 * such instead of failing as "tampered". {@link #toString()} shows the id only.
 */
public record KeyEncryptionKey(String id, SecretKey key) {
    public KeyEncryptionKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[" + id + "]";
    }
}

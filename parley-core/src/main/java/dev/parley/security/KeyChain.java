package dev.parley.security;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The key chain of DESIGN §5: master key → a user's key-encryption key (KEK) → a session's data key (DEK), each
 * level wrapped under the one above with AES-256-GCM. Wrapped forms are text, safe to store anywhere:
 * <ul>
 *   <li>a KEK: {@code kek1.<masterKeyId>.<kekId>.<base64url>}, bound (as associated data) to the master key id,
 *       its own id and its owner (say {@code tenant/user}), so it cannot be moved to another user;</li>
 *   <li>a DEK: {@code dek1.<kekId>.<base64url>}, bound to the KEK's id.</li>
 * </ul>
 * The ids in clear let a rotation find what an old master key wrapped ({@link #isWrappedUnderPrimary},
 * {@link #rewrap}) and let an unwrap fail with the reason (an unknown master key, a KEK that no longer exists)
 * rather than a bare authentication error.
 */
public final class KeyChain {
    private static final String KEK_PREFIX = "kek1";
    private static final String DEK_PREFIX = "dek1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    private final KeyRing ring;

    public KeyChain(KeyRing ring) {
        this.ring = Objects.requireNonNull(ring, "ring");
    }

    public KeyRing ring() {
        return ring;
    }

    /** A new random key-encryption key with a new random id. */
    public static KeyEncryptionKey newKeyEncryptionKey() {
        return new KeyEncryptionKey(HexFormat.of().formatHex(Aead.randomBytes(8)), Aead.newKey());
    }

    /** Wraps {@code kek} under the primary master key, bound to {@code owner}. */
    public String wrap(KeyEncryptionKey kek, String owner) {
        MasterKey master = ring.primary();
        byte[] sealed = Aead.seal(master.secretKey(), kek.key().getEncoded(), kekContext(master.id(), kek.id(), owner));
        return KEK_PREFIX + "." + master.id() + "." + kek.id() + "." + B64.encodeToString(sealed);
    }

    /** Unwraps a KEK of {@code owner}; a clear error when its master key is not in the ring or the value was altered. */
    public KeyEncryptionKey unwrap(String wrapped, String owner) {
        String[] parts = split(wrapped, KEK_PREFIX, 4, "the key-encryption key of " + owner);
        String masterId = parts[1];
        MasterKey master = ring.find(masterId).orElseThrow(() -> new KeyException("the key-encryption key of " + owner
                + " is wrapped under master key '" + masterId + "', which is not configured (known: " + ring.ids()
                + "); add it to PARLEY_MASTER_KEY as an older key"));
        byte[] key = Aead.open(master.secretKey(), decode(parts[3], "the key-encryption key of " + owner),
                kekContext(masterId, parts[2], owner), "the key-encryption key of " + owner);
        return new KeyEncryptionKey(parts[2], Aead.key(key));
    }

    /** Whether {@code wrapped} (a KEK) is wrapped under the primary master key, so a rotation can skip it. */
    public boolean isWrappedUnderPrimary(String wrapped) {
        return split(wrapped, KEK_PREFIX, 4, "a key-encryption key")[1].equals(ring.primary().id());
    }

    /** A KEK wrapped under any known master key, wrapped again under the primary: what a rotation writes back. */
    public String rewrap(String wrapped, String owner) {
        return wrap(unwrap(wrapped, owner), owner);
    }

    /** A new random data key. */
    public static SecretKey newDataKey() {
        return Aead.newKey();
    }

    /** Wraps a session's data key under its user's KEK. */
    public static String wrapDataKey(KeyEncryptionKey kek, SecretKey dek) {
        return DEK_PREFIX + "." + kek.id() + "." + B64.encodeToString(Aead.seal(kek.key(), dek.getEncoded(), dekContext(kek.id())));
    }

    /** The id of the KEK that wrapped {@code wrappedDataKey}. */
    public static String keyEncryptionKeyIdOf(String wrappedDataKey) {
        return split(wrappedDataKey, DEK_PREFIX, 3, "a data key")[1];
    }

    /**
     * Unwraps a data key. {@code what} names it in errors (e.g. {@code "the data key of session s1"}); a KEK other
     * than the one that wrapped it is reported as such.
     */
    public static SecretKey unwrapDataKey(KeyEncryptionKey kek, String wrappedDataKey, String what) {
        String[] parts = split(wrappedDataKey, DEK_PREFIX, 3, what);
        if (!parts[1].equals(kek.id())) {
            throw new KeyException(what + " was wrapped under key-encryption key " + parts[1] + ", not under "
                    + kek.id() + ": that key no longer exists");
        }
        return Aead.key(Aead.open(kek.key(), decode(parts[2], what), dekContext(kek.id()), what));
    }

    private static byte[] kekContext(String masterId, String kekId, String owner) {
        return ("parley/kek/v1\0" + masterId + "\0" + kekId + "\0" + owner).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] dekContext(String kekId) {
        return ("parley/dek/v1\0" + kekId).getBytes(StandardCharsets.UTF_8);
    }

    private static String[] split(String wrapped, String prefix, int parts, String what) {
        if (wrapped == null) {
            throw new KeyException(what + " is missing");
        }
        String[] split = wrapped.split("\\.", -1);
        if (split.length != parts || !split[0].equals(prefix)) {
            throw new KeyException(what + " is not a wrapped key of the form " + prefix + ".…"
                    + " (" + parts + " dot-separated parts); it was altered or written by something else");
        }
        for (String part : split) {
            if (part.isEmpty()) {
                throw new KeyException(what + " has an empty part; it was altered or written by something else");
            }
        }
        return split;
    }

    private static byte[] decode(String text, String what) {
        try {
            return B64_DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new KeyException(what + " is not valid base64url; it was altered or written by something else", e);
        }
    }
}

package dev.parley.security;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The root of the key chain: a 256-bit key and the id that every key wrapped under it carries, so that after a
 * rotation Parley knows which master key wrapped what. Written as {@code ID:KEY} (the form {@link #encode()} gives
 * and {@link #parse} reads), where KEY is 64 hex digits or base64 of 32 bytes; a bare KEY gets an id derived from the
 * key itself, so every server configured with the same key agrees on it. {@link #toString()} never shows the key.
 */
public final class MasterKey {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final String id;
    private final byte[] key;

    private MasterKey(String id, byte[] key) {
        this.id = id;
        this.key = key;
    }

    /** A master key with an explicit id (1-32 characters of {@code [A-Za-z0-9_-]}). */
    public static MasterKey of(String id, byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != Aead.KEY_BYTES) {
            throw new KeyException("a master key has " + Aead.KEY_BYTES + " bytes (256 bits), got " + key.length);
        }
        return new MasterKey(requireId(id), key.clone());
    }

    /** A new random master key whose id is derived from it. */
    public static MasterKey generate() {
        byte[] key = Aead.randomBytes(Aead.KEY_BYTES);
        return new MasterKey(derivedId(key), key);
    }

    /**
     * Reads {@code [ID:]KEY}. The error names what is wrong (the id's rule, the key's length or encoding) and never
     * repeats the key.
     */
    public static MasterKey parse(String value) {
        if (value == null || value.isBlank()) {
            throw new KeyException("a master key is empty; expected [ID:]KEY with KEY as 64 hex digits or base64 of 32 bytes");
        }
        String text = value.strip();
        int colon = text.indexOf(':');
        String id = colon < 0 ? null : text.substring(0, colon);
        byte[] key = decode(colon < 0 ? text : text.substring(colon + 1).strip());
        return id == null ? new MasterKey(derivedId(key), key) : new MasterKey(requireId(id), key);
    }

    private static byte[] decode(String encoded) {
        if (HEX.matcher(encoded).matches()) {
            return HexFormat.of().parseHex(encoded);
        }
        byte[] bytes;
        try {
            bytes = encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(encoded) : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // Not chained: the decoder's message quotes a character of what may be a secret.
            throw new KeyException("a master key must be 64 hex digits or base64 of 32 bytes; the key given ("
                    + encoded.length() + " characters) is neither");
        }
        if (bytes.length != Aead.KEY_BYTES) {
            throw new KeyException("a master key must be 32 bytes (256 bits); the key given decodes to " + bytes.length
                    + " bytes. Generate one with: openssl rand -base64 32");
        }
        return bytes;
    }

    private static String requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new KeyException("a master key id must be 1-32 characters of [A-Za-z0-9_-], got '" + id + "'");
        }
        return id;
    }

    private static String derivedId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("parley master key id\0".getBytes(StandardCharsets.UTF_8));
            return "k" + HexFormat.of().formatHex(sha.digest(key), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return Aead.key(key.clone());
    }

    /** {@code ID:KEY} with the key in base64: what {@link #parse} reads back. Secret: store it like a password. */
    public String encode() {
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey other && id.equals(other.id) && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}

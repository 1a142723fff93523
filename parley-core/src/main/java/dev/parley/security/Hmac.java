package dev.parley.security;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/** HMAC-SHA256 helpers: keyed hashes, sub-keys derived for one purpose, constant-time comparison. */
public final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {
    }

    public static byte[] sha256(SecretKey key, byte[] data) {
        return sha256(key.getEncoded(), data);
    }

    public static byte[] sha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /** The HMAC of {@code text} (UTF-8) as unpadded base64url: short, and safe in URLs, file names and keys. */
    public static String sha256Base64Url(SecretKey key, String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(key, text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A 256-bit key for one purpose derived from {@code key} ({@code HMAC(key, purpose)}), so that one secret can
     * serve for encryption and for lookups without the two uses ever sharing a key.
     */
    public static SecretKey derive(SecretKey key, String purpose, String algorithm) {
        return new SecretKeySpec(sha256(key, purpose.getBytes(StandardCharsets.UTF_8)), algorithm);
    }

    /** Compares two MACs in time independent of where they differ. */
    public static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}

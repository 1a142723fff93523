package dev.parley.security;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * AES-256-GCM with a random 96-bit nonce per message: {@code seal} returns {@code nonce ‖ ciphertext ‖ tag}, and
 * {@code open} checks the tag before returning anything, so a flipped bit, a value moved to another context (other
 * associated data) or the wrong key is an error, never garbage.
 */
public final class Aead {
    /** The length of keys {@link #newKey()} makes and {@link #key(byte[])} accepts. */
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {
    }

    /** A fresh random 256-bit AES key. */
    public static SecretKey newKey() {
        return key(randomBytes(KEY_BYTES));
    }

    /** An AES key from exactly {@link #KEY_BYTES} bytes. */
    public static SecretKey key(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != KEY_BYTES) {
            throw new KeyException("an AES-256 key has " + KEY_BYTES + " bytes, got " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Encrypts and authenticates {@code plaintext}, binding it to {@code associatedData}. */
    public static byte[] seal(SecretKey key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = randomBytes(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Checks and decrypts what {@link #seal} produced. {@code what} names the value in the error, e.g.
     * {@code "vault row <EMAIL_1> of session s1"}.
     */
    public static byte[] open(SecretKey key, byte[] sealed, byte[] associatedData, String what) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new KeyException(what + " is too short to be an AES-GCM ciphertext (" + sealed.length + " bytes)");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new KeyException(what + " failed authentication: it was altered, moved, or sealed under another key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }
}

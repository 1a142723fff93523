package dev.parley.privacy.internal;

import dev.parley.privacy.VaultException;
import dev.parley.security.Aead;
import dev.parley.security.Hmac;
import dev.parley.security.KeyException;
import dev.parley.store.VaultRow;

import javax.crypto.SecretKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Seals and opens a session's vault rows with keys derived from its data key: one for AES-GCM, one for the HMAC
 * lookups, so the two uses never share a key. A row's ciphertext is bound to its placeholder and lookup (associated
 * data), so a row moved to another placeholder, or given another row's lookup, fails authentication.
 *
 * <p>Plaintext: a format byte, a kind byte ({@code M} a mapping, {@code R} a reserved literal), and for a mapping the
 * normalised key (length-prefixed) followed by the original text.
 */
public final class VaultCipher {
    private static final String PREFIX = "v1.";
    private static final byte FORMAT = 1;
    private static final byte MAPPING = 'M';
    private static final byte RESERVATION = 'R';

    private final SecretKey sealKey;
    private final SecretKey lookupKey;
    private final String sessionName;

    public VaultCipher(SecretKey dataKey, String sessionName) {
        Objects.requireNonNull(dataKey, "dataKey");
        this.sealKey = Hmac.derive(dataKey, "parley/vault/seal", "AES");
        this.lookupKey = Hmac.derive(dataKey, "parley/vault/lookup", "HmacSHA256");
        this.sessionName = Objects.requireNonNull(sessionName, "sessionName");
    }

    /** What a row holds once opened: a mapping ({@code key}, {@code original}) or a reserved literal (both null). */
    public record Content(boolean reservation, String key, String original) {
    }

    /** The lookup of a value: HMAC(session key, type ‖ normalised value). */
    public String lookup(String type, String key) {
        return Hmac.sha256Base64Url(lookupKey, "value\0" + type + "\0" + key);
    }

    /** The lookup of a reserved literal; in its own domain, so it never equals a value's lookup. */
    public String reservationLookup(String placeholder) {
        return Hmac.sha256Base64Url(lookupKey, "reserved\0" + placeholder);
    }

    public VaultRow sealMapping(String placeholder, String lookup, String key, String original) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] originalBytes = original.getBytes(StandardCharsets.UTF_8);
        byte[] plain = ByteBuffer.allocate(2 + Integer.BYTES + keyBytes.length + originalBytes.length)
                .put(FORMAT).put(MAPPING).putInt(keyBytes.length).put(keyBytes).put(originalBytes).array();
        return seal(placeholder, lookup, plain);
    }

    public VaultRow sealReservation(String placeholder) {
        return seal(placeholder, reservationLookup(placeholder), new byte[]{FORMAT, RESERVATION});
    }

    private VaultRow seal(String placeholder, String lookup, byte[] plain) {
        byte[] sealed = Aead.seal(sealKey, plain, associatedData(placeholder, lookup));
        return new VaultRow(placeholder, lookup, PREFIX + Base64.getEncoder().encodeToString(sealed));
    }

    /** Opens a row; a {@link VaultException} naming the row when it was altered, moved, or sealed under another key. */
    public Content open(VaultRow row) {
        String what = "vault row " + row.placeholder() + " of " + sessionName;
        if (!row.ciphertext().startsWith(PREFIX)) {
            throw new VaultException(what + " is not in a vault format this version of Parley knows");
        }
        byte[] plain;
        try {
            byte[] sealed = Base64.getDecoder().decode(row.ciphertext().substring(PREFIX.length()));
            plain = Aead.open(sealKey, sealed, associatedData(row.placeholder(), row.lookup()), what);
        } catch (IllegalArgumentException e) {
            throw new VaultException(what + " is not valid base64: the vault was altered", e);
        } catch (KeyException e) {
            throw new VaultException(e.getMessage(), e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(plain);
        if (plain.length < 2 || buffer.get() != FORMAT) {
            throw new VaultException(what + " holds a value of an unknown format");
        }
        byte kind = buffer.get();
        if (kind == RESERVATION && !buffer.hasRemaining()) {
            return new Content(true, null, null);
        }
        if (kind != MAPPING || buffer.remaining() < Integer.BYTES) {
            throw new VaultException(what + " holds a value of an unknown kind");
        }
        int keyLength = buffer.getInt();
        if (keyLength < 0 || keyLength > buffer.remaining()) {
            throw new VaultException(what + " holds a value of an inconsistent length");
        }
        String key = new String(plain, buffer.position(), keyLength, StandardCharsets.UTF_8);
        String original = new String(plain, buffer.position() + keyLength, buffer.remaining() - keyLength, StandardCharsets.UTF_8);
        return new Content(false, key, original);
    }

    private static byte[] associatedData(String placeholder, String lookup) {
        return ("parley/vault/v1\0" + placeholder + "\0" + lookup).getBytes(StandardCharsets.UTF_8);
    }
}

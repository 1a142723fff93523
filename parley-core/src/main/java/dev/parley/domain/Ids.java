package dev.parley.domain;

import dev.parley.InvalidInputException;

import java.security.SecureRandom;

/** Validation and generation of identifiers; one place so every id type reports errors the same way. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private Ids() {
    }

    static String require(String field, String value, IdRule shape, String rule) {
        if (value == null) {
            throw new InvalidInputException(field, field + " is required");
        }
        if (!shape.matches(value)) {
            throw new InvalidInputException(field, field + " must be " + rule + ": " + quote(value));
        }
        return value;
    }

    /**
     * Quotes a user-supplied value for an error message: control characters escaped and long
     * values cut, so a hostile id (NUL bytes, 10 000 characters) cannot flood a log or a terminal.
     */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(value.length(), 64);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (value.length() > shown) {
            out.append("… (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }

    /** 26 characters of Crockford base32 from 130 random bits: unguessable and safe in paths and URLs. */
    static String random() {
        byte[] bytes = new byte[17];
        RANDOM.nextBytes(bytes);
        StringBuilder out = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < 26) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}

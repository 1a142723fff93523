package dev.parley.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/** Passwords for fuzz tests of store URLs, which must never show a password however it is written. */
public final class FuzzedPasswords {
    /** Characters a password typed into a URL may hold, including those the URL syntax gives a meaning to. */
    private static final String CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789/?#:;%&=+[]!$,~";

    private FuzzedPasswords() {
    }

    /**
     * {@code Zq} and up to 24 characters chosen by the fuzzer: the prefix keeps it from matching the fixed text of an
     * error message by chance, so finding it in one means the password leaked.
     */
    public static String next(FuzzedDataProvider data) {
        StringBuilder password = new StringBuilder("Zq");
        data.consumeString(24).chars().forEach(c -> password.append(CHARS.charAt(Math.floorMod(c, CHARS.length()))));
        return password.toString();
    }
}

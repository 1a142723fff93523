package dev.parley;

import java.util.Map;
import java.util.regex.Pattern;

/** Limits of session metadata: keys 1–128 characters without control characters, values at most 8 KiB. */
final class Metadatas {
    private static final Pattern KEY = Pattern.compile("[^\\p{Cntrl}]{1,128}");
    static final int MAX_VALUE = 8192;

    private Metadatas() {
    }

    static void validateKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException("metadata key", "metadata key must be 1-128 characters without control characters");
        }
    }

    static void validate(Map<String, String> values) {
        values.forEach((k, v) -> {
            validateKey(k);
            if (v == null) {
                throw new InvalidInputException("metadata." + k, "metadata value for '" + k + "' is null; remove the key instead");
            }
            if (v.length() > MAX_VALUE) {
                throw new InvalidInputException("metadata." + k, "metadata value for '" + k + "' is " + v.length()
                        + " characters, over the limit of " + MAX_VALUE);
            }
        });
    }
}

package dev.parley.privacy;

import dev.parley.InvalidInputException;

import java.util.List;

/**
 * Names of the entity types the built-in detectors report. Types are plain strings so that custom detectors
 * can add their own ({@code EMPLOYEE_ID}, {@code PROJECT_CODENAME} …); every type name matches
 * {@code [A-Z][A-Z0-9_]*}, does not end with {@code _} and is at most 64 characters long, because it becomes
 * part of placeholders such as {@code <EMAIL_1>}.
 */
public final class EntityType {
    public static final String EMAIL = "EMAIL";
    public static final String PHONE = "PHONE";
    public static final String CREDIT_CARD = "CREDIT_CARD";
    public static final String IBAN = "IBAN";
    public static final String US_SSN = "US_SSN";
    public static final String IP_ADDRESS = "IP_ADDRESS";
    public static final String URL_CREDENTIALS = "URL_CREDENTIALS";
    /** API keys, access tokens, JWTs, private-key blocks and assigned passwords. */
    public static final String SECRET = "SECRET";
    /**
     * Not a detected entity: the sanitiser's escape for text in the input that is identical to a placeholder the
     * session already issued. Replacing it by {@code <LITERAL_n>} keeps the restore from turning the user's literal
     * text into somebody's e-mail address. Always pseudonymised.
     */
    public static final String LITERAL = "LITERAL";

    /** The types reported by {@link Detectors#defaults(List)}. */
    public static final List<String> BUILT_IN =
            List.of(EMAIL, PHONE, CREDIT_CARD, IBAN, US_SSN, IP_ADDRESS, URL_CREDENTIALS, SECRET);

    private static final int MAX_LENGTH = 64;

    private EntityType() {
    }

    /** Returns {@code type} when it is a valid type name, otherwise throws naming the rule it breaks. */
    public static String requireValid(String type) {
        if (type == null) {
            throw new InvalidInputException("type", "entity type must not be null");
        }
        if (!isValid(type)) {
            throw new InvalidInputException("type", "entity type must match [A-Z][A-Z0-9_]*, not end with '_' and have at most "
                    + MAX_LENGTH + " characters, got '" + type + "'");
        }
        return type;
    }

    static boolean isValid(String type) {
        int n = type.length();
        if (n == 0 || n > MAX_LENGTH || type.charAt(0) < 'A' || type.charAt(0) > 'Z' || type.charAt(n - 1) == '_') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = type.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }
}

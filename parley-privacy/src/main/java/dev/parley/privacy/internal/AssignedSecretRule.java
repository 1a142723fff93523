package dev.parley.privacy.internal;

import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A value assigned to a password- or key-like name: {@code password=…}, {@code DB_PASSWORD: "…"},
 * {@code "api_key": "…"}, {@code client_secret := …}, and in prose {@code my password is …}. The finding is the value
 * only, so the model still sees that a password was there. Values that are clearly not secrets are skipped: empty,
 * template references ({@code ${DB_PASSWORD}}, {@code {{ secret }}}), placeholders, masks ({@code ****}) and words
 * like {@code null} or {@code required}. Name-like keys ({@code token}, {@code secret}) need a longer value than
 * passwords do; the prose form needs a value with a digit or a symbol, so "the password is incorrect" is left alone.
 */
final class AssignedSecretRule implements SecretRule {
    private static final List<String> PASSWORD_NAMES = List.of("password", "passwd", "passphrase", "pwd", "passwort",
            "kennwort", "mot de passe");
    private static final List<String> KEY_NAMES = List.of("secret", "client_secret", "api_key", "apikey", "api-key",
            "access_token", "auth_token", "refresh_token", "secret_key", "access_key", "private_key", "token",
            "secret_access_key");
    private static final Set<String> NOT_SECRETS = Set.of("null", "none", "nil", "true", "false", "undefined",
            "required", "optional", "empty", "yes", "no", "n/a", "na", "tbd", "todo", "redacted", "hidden", "secret",
            "password", "string", "str", "text", "your_password", "yourpassword", "<password>", "example");
    private static final int MAX_VALUE = 256;
    private static final int MIN_PASSWORD = 3;
    private static final int MIN_KEY = 8;
    private static final int MIN_KEY_WITHOUT_DIGIT = 16;
    private static final double ASSIGNED = 0.9;
    private static final double IN_PROSE = 0.8;

    @Override
    public List<String> keywords() {
        return Stream.concat(PASSWORD_NAMES.stream(), KEY_NAMES.stream()).toList();
    }

    @Override
    public Matcher matcher(CharSequence text) {
        return (at, keyword) -> match(text, at, keyword);
    }

    private static Finding match(CharSequence text, int at, String keyword) {
        if (!nameStartsAt(text, at, keyword)) {
            return null;
        }
        boolean password = PASSWORD_NAMES.contains(keyword);
        int n = text.length();
        int i = at + keyword.length();
        if (i < n && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
            i++;
        }
        i = skipBlanks(text, i);
        boolean prose = false;
        if (Chars.regionMatches(text, i, "=>") || Chars.regionMatches(text, i, ":=")) {
            i += 2;
        } else if (i < n && (text.charAt(i) == '=' || text.charAt(i) == ':')) {
            i++;
        } else if (i > at + keyword.length() && isWord(text, i, "is")) {
            i += 2;
            prose = true;
        } else {
            return null;
        }
        i = skipBlanks(text, i);
        if (i >= n) {
            return null;
        }
        char quote = text.charAt(i);
        int start;
        int end;
        if (!prose && (quote == '"' || quote == '\'')) {
            start = i + 1;
            end = start;
            while (end < n && text.charAt(end) != quote && text.charAt(end) != '\n' && end - start <= MAX_VALUE) {
                end++;
            }
            if (end >= n || text.charAt(end) != quote) {
                return null;
            }
        } else {
            start = i;
            end = start;
            while (end < n && !(prose ? endsProseValue(text.charAt(end)) : endsBareValue(text, end))
                    && end - start <= MAX_VALUE) {
                end++;
            }
            while (end > start && isSentencePunctuation(text.charAt(end - 1))) {
                end--;
            }
        }
        if (end - start > MAX_VALUE || !plausible(text.subSequence(start, end).toString(), password, prose)) {
            return null;
        }
        return new Finding(EntityType.SECRET, start, end, prose ? IN_PROSE : ASSIGNED);
    }

    /**
     * A name starts a word, or ends an identifier: in camel case ({@code dbPassword}) or in upper case
     * ({@code PGPASSWORD}); {@code mypassword} is a word of its own.
     */
    private static boolean nameStartsAt(CharSequence text, int at, String keyword) {
        if (at == 0) {
            return true;
        }
        char before = text.charAt(at - 1);
        if (!Character.isLetter(before)) {
            return true;
        }
        boolean camel = Character.isLowerCase(before) && Character.isUpperCase(text.charAt(at));
        return camel || (Character.isUpperCase(before) && isUpperCase(text, at, at + keyword.length()));
    }

    private static boolean isUpperCase(CharSequence text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (Character.isLowerCase(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean plausible(String value, boolean password, boolean prose) {
        if (value.isEmpty() || NOT_SECRETS.contains(value.toLowerCase(Locale.ROOT)) || looksLikeReference(value)
                || isMask(value)) {
            return false;
        }
        boolean digit = value.chars().anyMatch(Character::isDigit);
        if (prose && !password) {
            // "the token is refreshed" is prose about a key, not a key: ask for a key's length and a digit.
            return value.length() >= MIN_KEY && digit;
        }
        if (prose) {
            boolean symbol = value.chars().anyMatch(c -> !Character.isLetterOrDigit(c));
            return value.length() >= 4 && (digit || symbol);
        }
        if (password) {
            return value.length() >= MIN_PASSWORD;
        }
        return value.length() >= MIN_KEY && (digit || value.length() >= MIN_KEY_WITHOUT_DIGIT);
    }

    /** Template and environment references ({@code ${DB_PASSWORD}}, {@code $PGPASSWORD}, {@code {{ secret }}}) and placeholders. */
    private static boolean looksLikeReference(String value) {
        return value.startsWith("${") || isEnvironmentVariable(value) || value.startsWith("{{") || value.startsWith("%(")
                || value.startsWith("<") || value.startsWith("[REDACTED") || value.startsWith("#{");
    }

    private static boolean isEnvironmentVariable(String value) {
        if (value.length() < 2 || value.charAt(0) != '$') {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Chars.isAsciiAlnum(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMask(String value) {
        return value.chars().allMatch(c -> c == '*' || c == 'x' || c == 'X' || c == '•' || c == '.' || c == '#');
    }

    private static boolean endsProseValue(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '`';
    }

    /**
     * A bare value ends at a blank, a quote, a delimiter of the surrounding syntax, or an {@code &} that starts the
     * next query parameter ({@code &user=}); an {@code &} inside a password is part of it.
     */
    private static boolean endsBareValue(CharSequence text, int i) {
        char c = text.charAt(i);
        if (c == '&') {
            int j = i + 1;
            while (j < text.length() && (Chars.isAsciiAlnum(text.charAt(j)) || text.charAt(j) == '_')) {
                j++;
            }
            return j > i + 1 && j < text.length() && text.charAt(j) == '=';
        }
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == ',' || c == ';' || c == '<'
                || c == '>' || c == ')' || c == ']' || c == '}' || c == '`';
    }

    /** Punctuation that ends a sentence rather than a password; an exclamation mark is too common in passwords to drop. */
    private static boolean isSentencePunctuation(char c) {
        return c == '.' || c == ',' || c == ';' || c == ':' || c == '?';
    }

    private static int skipBlanks(CharSequence text, int i) {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isWord(CharSequence text, int at, String word) {
        return Chars.regionMatches(text, at, word) && at + word.length() < text.length()
                && (text.charAt(at + word.length()) == ' ' || text.charAt(at + word.length()) == '\t');
    }
}

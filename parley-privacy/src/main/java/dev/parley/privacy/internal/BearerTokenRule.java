package dev.parley.privacy.internal;

import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.util.List;

/**
 * The credential of {@code Authorization: Bearer <token>} (RFC 6750 token characters, with letters and digits both
 * present so that "bearer of bad news" is not one). The finding is the token only.
 */
final class BearerTokenRule implements SecretRule {
    private static final int MIN_TOKEN = 16;
    private static final int MAX_TOKEN = 4096;

    @Override
    public List<String> keywords() {
        return List.of("bearer ");
    }

    @Override
    public Matcher matcher(CharSequence text) {
        return (at, keyword) -> match(text, at, keyword);
    }

    private static Finding match(CharSequence text, int at, String keyword) {
        if (at > 0 && Character.isLetterOrDigit(text.charAt(at - 1))) {
            return null;
        }
        int n = text.length();
        int start = at + keyword.length();
        while (start < n && text.charAt(start) == ' ') {
            start++;
        }
        int end = start;
        boolean letter = false;
        boolean digit = false;
        while (end < n && isTokenChar(text.charAt(end)) && end - start <= MAX_TOKEN) {
            letter |= Chars.isAsciiLetter(text.charAt(end));
            digit |= Chars.isAsciiDigit(text.charAt(end));
            end++;
        }
        while (end < n && text.charAt(end) == '=') {
            end++;
        }
        if (end - start < MIN_TOKEN || end - start > MAX_TOKEN || !letter || !digit || !Chars.wordEndsAt(text, end)) {
            return null;
        }
        return new Finding(EntityType.SECRET, start, end, 0.9);
    }

    private static boolean isTokenChar(char c) {
        return Chars.isAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}

package dev.parley.privacy.internal;

import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A token made of a fixed, case-sensitive prefix ({@code ghp_}, {@code AKIA}, {@code sk-ant-} …) and a body of
 * {@code minBody..maxBody} characters of one class, standing alone (no token character on either side). The body is
 * read at most {@code maxBody + 1} characters far.
 */
record TokenRule(String name, List<String> prefixes, Predicate<Character> bodyChar, int minBody, int maxBody,
                 Predicate<String> bodyCheck, double score) implements SecretRule {

    static final Predicate<String> ANY = body -> true;
    static final Predicate<String> HAS_DIGIT = body -> body.chars().anyMatch(c -> c >= '0' && c <= '9');

    static Predicate<Character> alnum() {
        return Chars::isAsciiAlnum;
    }

    static Predicate<Character> alnumOr(String extra) {
        return c -> Chars.isAsciiAlnum(c) || extra.indexOf(c) >= 0;
    }

    @Override
    public List<String> keywords() {
        return prefixes.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public Matcher matcher(CharSequence text) {
        return (at, keyword) -> match(text, at, keyword);
    }

    private Finding match(CharSequence text, int at, String keyword) {
        String prefix = prefixFor(keyword);
        if (prefix == null || !Chars.regionMatches(text, at, prefix)
                || (at > 0 && SecretRule.isTokenChar(text.charAt(at - 1)))) {
            return null;
        }
        int n = text.length();
        int bodyStart = at + prefix.length();
        int end = bodyStart;
        while (end < n && bodyChar.test(text.charAt(end)) && end - bodyStart <= maxBody) {
            end++;
        }
        if (end - bodyStart > maxBody) {
            return null;
        }
        while (end > bodyStart && text.charAt(end - 1) == '.') {
            end--;
        }
        if (end - bodyStart < minBody || (end < n && SecretRule.isTokenChar(text.charAt(end)))) {
            return null;
        }
        if (!bodyCheck.test(text.subSequence(bodyStart, end).toString())) {
            return null;
        }
        return new Finding(EntityType.SECRET, at, end, score);
    }

    private String prefixFor(String keyword) {
        for (String prefix : prefixes) {
            if (prefix.toLowerCase(Locale.ROOT).equals(keyword)) {
                return prefix;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "TokenRule[" + name + "]";
    }
}

package dev.parley.privacy.internal;

import dev.parley.privacy.Finding;

import java.util.List;

/**
 * One kind of secret, triggered by keywords that the {@link SecretDetector} finds in one Aho-Corasick pass. A rule
 * only looks at the text around a keyword occurrence; the cost of one look is bounded or, for rules whose matches
 * can be long, shared across occurrences so that the whole scan stays linear.
 */
interface SecretRule {

    /** Lower-case keywords; the detector matches them ignoring case and the rule checks case itself if it matters. */
    List<String> keywords();

    /** A matcher for one text; may keep state across the occurrences of one scan, which come in text order. */
    Matcher matcher(CharSequence text);

    @FunctionalInterface
    interface Matcher {
        /** The secret found for the keyword occurrence at {@code at}, or null when this occurrence is not one. */
        Finding at(int at, String keyword);
    }

    /** Characters of tokens: a keyword glued to one of these is inside a longer word. */
    static boolean isTokenChar(char c) {
        return Chars.isAsciiAlnum(c) || c == '_' || c == '-';
    }
}

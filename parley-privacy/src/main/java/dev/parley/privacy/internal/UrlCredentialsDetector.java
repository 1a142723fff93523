package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * URLs that carry credentials, {@code scheme://user:password@host/…} (also a bare token as the user, as in
 * {@code https://<token>@github.com}). The whole URL is the finding, from the scheme to the last character that
 * belongs to it. Prefilter: {@code ://}. The scheme is read leftwards and the authority rightwards; neither can cross
 * a {@code /}, so no character is read for more than two candidates and the scan is linear.
 */
public final class UrlCredentialsDetector implements Detector {
    private static final double SCORE = 1.0;
    private static final int MIN_TOKEN_USER = 20;

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        int n = text.length();
        int i = Chars.indexOf(text, "://", 0);
        while (i >= 0) {
            int end = -1;
            int start = schemeStart(text, i);
            if (start >= 0) {
                end = urlEnd(text, i + 3);
            }
            if (end > 0) {
                out.add(new Finding(EntityType.URL_CREDENTIALS, start, end, SCORE));
                i = Chars.indexOf(text, "://", end);
            } else {
                i = i + 3 <= n ? Chars.indexOf(text, "://", i + 1) : -1;
            }
        }
        return out;
    }

    private static int schemeStart(CharSequence text, int colon) {
        int start = colon;
        while (start > 0 && isSchemeChar(text.charAt(start - 1))) {
            start--;
        }
        while (start < colon && !Chars.isAsciiLetter(text.charAt(start))) {
            start++;
        }
        return start < colon && Chars.wordStartsAt(text, start) ? start : -1;
    }

    /** End of the URL whose authority starts at {@code from}, or -1 when the authority holds no credentials. */
    private static int urlEnd(CharSequence text, int from) {
        int n = text.length();
        int authorityEnd = from;
        int lastAt = -1;
        int firstColon = -1;
        while (authorityEnd < n && !endsAuthority(text.charAt(authorityEnd))) {
            char c = text.charAt(authorityEnd);
            if (c == '@') {
                lastAt = authorityEnd;
            } else if (c == ':' && lastAt < 0 && firstColon < 0) {
                firstColon = authorityEnd;
            }
            authorityEnd++;
        }
        if (lastAt < 0 || lastAt + 1 >= authorityEnd || !isHostStart(text.charAt(lastAt + 1))) {
            return -1;
        }
        boolean password = firstColon >= 0 && firstColon < lastAt && firstColon + 1 < lastAt;
        boolean tokenUser = firstColon < 0 && lastAt - from >= MIN_TOKEN_USER;
        if (!password && !tokenUser) {
            return -1;
        }
        int end = authorityEnd;
        while (end < n && !endsUrl(text.charAt(end))) {
            end++;
        }
        while (end > lastAt + 2 && isTrailingPunctuation(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private static boolean isSchemeChar(char c) {
        return Chars.isAsciiAlnum(c) || c == '+' || c == '.' || c == '-';
    }

    private static boolean isHostStart(char c) {
        return Chars.isAsciiAlnum(c) || c == '[' || (c >= 128 && Character.isLetterOrDigit(c));
    }

    private static boolean endsAuthority(char c) {
        return c == '/' || c == '?' || c == '#' || endsUrl(c);
    }

    private static boolean endsUrl(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\';
    }

    private static boolean isTrailingPunctuation(char c) {
        return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' || c == '}';
    }
}

package dev.parley.privacy.internal;

import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * JSON Web Tokens: three base64url segments joined by dots (five for an encrypted JWE), the first decoding to a JSON object with an
 * {@code "alg"} member (which every JOSE header has), so that random dotted base64 is not taken for one. The
 * signature may be empty (unsecured JWTs). A token starts only where no token character precedes it, so each
 * segment is read by at most three candidates and the scan is linear.
 */
final class JwtRule implements SecretRule {
    private static final int MIN_SEGMENT = 10;
    private static final int MAX_HEADER = 4096;
    private static final int JWE_SEGMENTS = 5;

    @Override
    public List<String> keywords() {
        return List.of("eyj");
    }

    @Override
    public Matcher matcher(CharSequence text) {
        return (at, keyword) -> match(text, at);
    }

    private static Finding match(CharSequence text, int at) {
        int n = text.length();
        if (!Chars.regionMatches(text, at, "eyJ") || (at > 0 && isBase64Url(text.charAt(at - 1)))) {
            return null;
        }
        int headerEnd = segmentEnd(text, at);
        if (headerEnd - at < MIN_SEGMENT || headerEnd - at > MAX_HEADER || headerEnd >= n || text.charAt(headerEnd) != '.') {
            return null;
        }
        int payloadEnd = segmentEnd(text, headerEnd + 1);
        if (payloadEnd - headerEnd - 1 < MIN_SEGMENT || payloadEnd >= n || text.charAt(payloadEnd) != '.') {
            return null;
        }
        int end = segmentEnd(text, payloadEnd + 1);
        int segments = 3;
        while (end < n && text.charAt(end) == '.' && segments < JWE_SEGMENTS) {
            end = segmentEnd(text, end + 1);
            segments++;
        }
        if (segments != 3 && segments != JWE_SEGMENTS || (end < n && text.charAt(end) == '.')) {
            return null;
        }
        if (!isJoseHeader(text.subSequence(at, headerEnd).toString())) {
            return null;
        }
        return new Finding(EntityType.SECRET, at, end, 1.0);
    }

    private static int segmentEnd(CharSequence text, int from) {
        int i = from;
        while (i < text.length() && isBase64Url(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isJoseHeader(String segment) {
        if (segment.length() % 4 == 1) {
            return false;
        }
        String json = new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8).strip();
        return json.startsWith("{") && json.contains("\"alg\"");
    }

    private static boolean isBase64Url(char c) {
        return Chars.isAsciiAlnum(c) || c == '-' || c == '_';
    }
}

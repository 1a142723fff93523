package dev.parley.server.internal;

import dev.parley.domain.Unicode;

/** Makes request-supplied text safe for a log line or an error message: control characters escaped, length capped. */
final class LogText {
    private static final int MAX = 200;

    private LogText() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8);
        // Never half a character: an unpaired surrogate in an error message is text a client may refuse to read.
        int shown = Unicode.prefix(text, MAX).length();
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > shown) {
            out.append("…");
        }
        return out.toString();
    }
}

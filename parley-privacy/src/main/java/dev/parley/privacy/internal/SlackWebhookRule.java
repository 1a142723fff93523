package dev.parley.privacy.internal;

import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;

import java.util.List;

/** Slack incoming-webhook, workflow and trigger URLs: {@code https://hooks.slack.com/services/T…/B…/…}. */
final class SlackWebhookRule implements SecretRule {
    private static final String HOST = "hooks.slack.com/";
    private static final List<String> KINDS = List.of("services/", "workflows/", "triggers/");
    private static final int MIN_PATH = 20;
    private static final int MAX_PATH = 512;

    @Override
    public List<String> keywords() {
        return List.of(HOST);
    }

    @Override
    public Matcher matcher(CharSequence text) {
        return (at, keyword) -> match(text, at);
    }

    private static Finding match(CharSequence text, int at) {
        int pathStart = -1;
        for (String kind : KINDS) {
            if (Chars.regionMatches(text, at + HOST.length(), kind)) {
                pathStart = at + HOST.length() + kind.length();
            }
        }
        if (pathStart < 0) {
            return null;
        }
        int end = pathStart;
        while (end < text.length() && isPathChar(text.charAt(end)) && end - pathStart <= MAX_PATH) {
            end++;
        }
        if (end - pathStart < MIN_PATH || end - pathStart > MAX_PATH) {
            return null;
        }
        int start = at;
        if (Chars.regionMatches(text, at - "https://".length(), "https://")) {
            start = at - "https://".length();
        } else if (Chars.regionMatches(text, at - "http://".length(), "http://")) {
            start = at - "http://".length();
        }
        return new Finding(EntityType.SECRET, start, end, 1.0);
    }

    private static boolean isPathChar(char c) {
        return Chars.isAsciiAlnum(c) || c == '/' || c == '_' || c == '-' || c == '+';
    }
}

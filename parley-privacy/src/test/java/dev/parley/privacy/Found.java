package dev.parley.privacy;

import java.util.List;

/** Readable views of findings for assertions: {@code "EMAIL=bob@example.com"}. */
final class Found {
    private Found() {
    }

    static List<String> in(Detector detector, String text) {
        return describe(detector.detect(text), text);
    }

    static List<String> describe(List<Finding> findings, String text) {
        return findings.stream().map(f -> f.type() + "=" + text.substring(f.start(), f.end())).toList();
    }

    /** The matched texts of findings of {@code type}. */
    static List<String> texts(Detector detector, String text, String type) {
        return detector.detect(text).stream().filter(f -> f.type().equals(type))
                .map(f -> text.substring(f.start(), f.end())).toList();
    }
}

package dev.parley.privacy;

import java.util.List;

/**
 * Finds sensitive entities in text. Implementations must be thread-safe, must not change the text, and should run
 * in time linear in its length: the sanitiser runs every detector on every message, including very large or hostile
 * ones. Built-ins come from {@link Detectors}.
 */
public interface Detector {

    /**
     * Findings in {@code text}, each within its bounds. They may overlap; {@link Detectors#combine} and the
     * {@link Sanitizer} keep, of overlapping findings, the higher score, then the longer, then the earlier.
     */
    List<Finding> detect(CharSequence text);

    /**
     * The key under which two findings of {@code type} are the same value and so share one placeholder within a
     * session, for example the lower-cased address for {@code EMAIL} or the E.164 form for {@code PHONE}. A detector
     * returns {@code value} unchanged for types it does not know; that is the default.
     */
    default String normalise(String type, String value) {
        return value;
    }
}

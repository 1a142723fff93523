package dev.parley.models.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A base64 {@code data:} URL of an image, split into its media type and its data (still base64). */
public record DataUrl(String mediaType, String base64) {
    private static final Pattern BASE64_DATA_URL = Pattern.compile("data:([\\w.+-]+/[\\w.+-]+);base64,(.+)", Pattern.DOTALL);

    public static boolean isDataUrl(String url) {
        return url.regionMatches(true, 0, "data:", 0, 5);
    }

    /** The parts of a {@code data:<type>;base64,<data>} URL; empty for any other URL, or a data: URL that is not base64. */
    public static Optional<DataUrl> parse(String url) {
        Matcher m = BASE64_DATA_URL.matcher(url);
        return m.matches() ? Optional.of(new DataUrl(m.group(1), m.group(2))) : Optional.empty();
    }
}

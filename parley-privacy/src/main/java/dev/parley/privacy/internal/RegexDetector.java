package dev.parley.privacy.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.parley.privacy.Detector;
import dev.parley.privacy.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * A configured regular expression, run by RE2/J, whose matching time is linear in the text whatever the pattern: a
 * pattern from configuration can never backtrack catastrophically. When the pattern has a capturing group, the first
 * group is the finding (so context can be required without being replaced: {@code emp-id:\s*(\d{6})}); otherwise
 * the whole match is. Empty matches are ignored.
 */
public final class RegexDetector implements Detector {
    private final String type;
    private final Pattern pattern;
    private final double score;

    public RegexDetector(String type, Pattern pattern, double score) {
        this.type = type;
        this.pattern = pattern;
        this.score = score;
    }

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        boolean grouped = matcher.groupCount() > 0;
        while (matcher.find()) {
            int start = grouped ? matcher.start(1) : matcher.start();
            int end = grouped ? matcher.end(1) : matcher.end();
            if (start >= 0 && end > start) {
                out.add(new Finding(type, start, end, score));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RegexDetector[" + type + "]";
    }
}

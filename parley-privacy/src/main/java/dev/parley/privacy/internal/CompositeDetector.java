package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * Several detectors as one: all run, their findings are checked to lie within the text, and overlaps are resolved
 * (higher score, then longer, then earlier). A value is normalised by the first detector that changes it, which is
 * the one that knows its type: every detector returns values of types it does not know unchanged.
 */
public final class CompositeDetector implements Detector {
    private final List<Detector> detectors;

    public CompositeDetector(List<Detector> detectors) {
        this.detectors = List.copyOf(detectors);
    }

    public List<Detector> detectors() {
        return detectors;
    }

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> all = new ArrayList<>();
        for (Detector detector : detectors) {
            all.addAll(Findings.withinText(detector.detect(text), text.length(), detector));
        }
        return Findings.resolve(all);
    }

    @Override
    public String normalise(String type, String value) {
        for (Detector detector : detectors) {
            String key = detector.normalise(type, value);
            if (key != null && !key.equals(value)) {
                return key;
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return "CompositeDetector" + detectors;
    }
}

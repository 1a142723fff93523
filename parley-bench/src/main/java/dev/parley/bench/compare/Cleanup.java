package dev.parley.bench.compare;

import java.util.ArrayList;
import java.util.List;

/** Runs every cleanup step even when one fails, then rethrows the first failure with the others suppressed. */
final class Cleanup {
    interface Step {
        void run() throws Exception;
    }

    private final List<Exception> failures = new ArrayList<>();

    Cleanup run(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
        return this;
    }

    void rethrow(String what) {
        if (failures.isEmpty()) {
            return;
        }
        IllegalStateException failure = new IllegalStateException(what + ": " + failures.getFirst().getMessage(), failures.getFirst());
        failures.subList(1, failures.size()).forEach(failure::addSuppressed);
        throw failure;
    }
}

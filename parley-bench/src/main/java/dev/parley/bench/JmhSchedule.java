package dev.parley.bench;

import java.util.Locale;

/** How long a JMH suite warms up and measures, per benchmark and parameter, in one fork. */
public record JmhSchedule(String name, int warmups, int warmupSeconds, int iterations, int iterationSeconds) {

    public String describe() {
        return name.toLowerCase(Locale.ROOT) + " (1 fork; " + warmups + " × " + warmupSeconds + " s warm-up, "
                + iterations + " × " + iterationSeconds + " s measured, per benchmark and parameter)";
    }
}

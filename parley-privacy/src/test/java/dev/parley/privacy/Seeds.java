package dev.parley.privacy;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds of randomized tests: a fresh one each run unless {@code -Dparley.seed=<n>} fixes it. Every test prints the
 * seed it used and puts it in its assertion messages, so a failure can be replayed exactly.
 */
final class Seeds {
    private Seeds() {
    }

    static long seed(String test) {
        Long fixed = Long.getLong("parley.seed");
        long seed = fixed != null ? fixed : ThreadLocalRandom.current().nextLong();
        System.out.println(test + ": seed " + seed + " (replay with -Dparley.seed=" + seed + ")");
        return seed;
    }

    static Random random(String test) {
        return new Random(seed(test));
    }
}

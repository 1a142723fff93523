package dev.parley.bench;

import java.util.Locale;

/** How the benchmarks spell a number on a command line they print, so that pasting it back repeats the run. */
public final class OptionValues {
    private OptionValues() {
    }

    /** {@code 15} for a whole number, {@code 2.5} otherwise. */
    public static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.valueOf(value);
    }
}

package dev.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the suites find the module: run from the repository root (as {@code parley-bench/run} does) or from the module. */
public final class BenchPaths {
    private BenchPaths() {
    }

    /** {@code parley-bench/} from the repository root, else the working directory. */
    public static Path module() {
        return Files.isDirectory(Path.of("parley-bench")) ? Path.of("parley-bench") : Path.of(".");
    }

    /** The default directory of the reports, absolute: {@code parley-bench/results}. */
    public static Path results() {
        return module().resolve("results").toAbsolutePath().normalize();
    }
}

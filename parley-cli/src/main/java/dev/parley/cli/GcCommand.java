package dev.parley.cli;

import dev.parley.Parley;
import dev.parley.json.ParleyJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code parley gc}: deletes expired sessions (and stale idempotency records) in bounded batches. */
@Command(name = "gc", mixinStandardHelpOptions = true, description = "Delete expired sessions, in bounded batches.")
final class GcCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--batch", defaultValue = "500", description = "Sessions deleted per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() {
        try (Parley parley = global.open()) {
            int total = 0;
            int deleted;
            do {
                deleted = parley.sweepExpired(batch);
                total += deleted;
            } while (deleted > 0);
            if (global.json) {
                spec.commandLine().getOut().println(ParleyJson.write(ParleyJson.object().put("deleted", total)));
            } else {
                spec.commandLine().getOut().println("deleted " + total + " expired session" + (total == 1 ? "" : "s"));
            }
            return 0;
        }
    }
}

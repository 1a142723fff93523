package dev.parley.cli;

import dev.parley.InvalidInputException;
import dev.parley.StoreException;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code parley migrate --from STORE --to STORE}: copies every session of the named tenants, with
 * what they share (app state, users' keys, state and budgets), then verifies each copy.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copy sessions from one store to another, then verify every copy (entry count and SHA-256).",
                "Copies entries, branches, checkpoints, vault rows and counters of each session; app-scope state and the "
                        + "tenant's budget; and the key, user-scope state and budget of every user owning a copied session.",
                "Stop the servers writing to --from first: sessions created or changed during the copy are not picked up."})
final class MigrateCommand implements Callable<Integer> {
    private static final int NAMES_SHOWN = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "STORE", defaultValue = "${env:PARLEY_STORE}",
            description = "Store to copy from: sqlite:PATH, jsonl:DIR, postgres://user@host:port/db, redis://… (default: PARLEY_STORE).")
    String from;

    @Option(names = "--to", paramLabel = "STORE", required = true, description = "Store to copy to (created if missing).")
    String to;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "Tenant to copy; repeat it for several (default: every tenant of the source).")
    List<String> tenants;

    @Option(names = "--skip-existing", description = "Leave sessions the target already has as they are, and copy the others.")
    boolean skipExisting;

    @Option(names = "--dry-run", description = "List what would be copied; write nothing.")
    boolean dryRun;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "On stderr: auto (a bar in a terminal, else a line every 5%%), bar, lines or none (default ${DEFAULT-VALUE}).")
    MigrationProgress.Mode progress;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (from == null || from.isBlank()) {
            throw new CliException("say which store to copy from: --from STORE (or set PARLEY_STORE)");
        }
        if (from.equals(to)) {
            throw new CliException("--from and --to name the same store; a migration needs two");
        }
        try (SessionStore source = open("--from", from); SessionStore target = open("--to", to)) {
            if (source.describe().equals(target.describe())) {
                throw new CliException("--from and --to are both " + source.describe() + "; a migration needs two stores");
            }
            List<TenantId> tenantIds = tenants == null ? everyTenant(source) : tenantIds();
            MigrationPlan plan = MigrationPlan.read(source, target, tenantIds);
            if (dryRun) {
                printPlan(source, target, plan);
                return 0;
            }
            List<String> existing = plan.existing();
            if (!existing.isEmpty() && !skipExisting) {
                throw new CliException(count(existing.size(), "session is", "sessions are") + " in the target already: "
                        + names(existing) + "; nothing was copied. Run again with --skip-existing to copy the others and leave"
                        + " those as they are.");
            }
            Migration migration = new Migration(source, target, progress, spec.commandLine().getErr());
            MigrationReport report;
            try {
                report = migration.run(plan);
            } catch (StoreException e) {
                throw new StoreException(e.getMessage() + " (" + migration.report().copied.size() + " of " + plan.toCopyCount()
                        + " sessions were copied before it; run again with --skip-existing to go on)", e);
            }
            printReport(source, target, report);
            return report.failed() ? ParleyCli.FAILURE : 0;
        }
    }

    private static List<TenantId> everyTenant(SessionStore source) {
        List<TenantId> all = new java.util.ArrayList<>();
        String cursor = null;
        do {
            dev.parley.store.Page<TenantId> page = source.tenants(cursor, 500);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    private List<TenantId> tenantIds() {
        LinkedHashSet<TenantId> ids = new LinkedHashSet<>();
        for (String tenant : tenants) {
            ids.add(TenantId.of(tenant));
        }
        return List.copyOf(ids);
    }

    /** Names which option's store failed to open; the stores' own messages never show a password. */
    private static SessionStore open(String option, String location) {
        try {
            return SessionStores.open(location, Clock.systemUTC());
        } catch (InvalidInputException e) {
            throw new CliException(option + ": " + e.getMessage());
        } catch (StoreException e) {
            throw new StoreException("cannot open the store of " + option + ": " + e.getMessage(), e);
        }
    }

    private static String names(List<String> names) {
        if (names.size() <= NAMES_SHOWN) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMES_SHOWN)) + " and " + (names.size() - NAMES_SHOWN) + " more";
    }

    private void printPlan(SessionStore source, SessionStore target, MigrationPlan plan) {
        PrintWriter out = spec.commandLine().getOut();
        String existingNote = skipExisting ? "in the target already: would be skipped" : "in the target already: stops the migration";
        if (json) {
            ObjectNode node = ParleyJson.object().put("dryRun", true).put("from", source.describe()).put("to", target.describe());
            ArrayNode sessions = node.putArray("sessions");
            for (MigrationPlan.TenantPlan t : plan.tenants()) {
                for (SessionInfo s : t.sessions()) {
                    sessions.addObject().put("tenant", t.tenant().value()).put("id", s.id().value()).put("user", s.user().value())
                            .put("lastSeq", s.lastSeq()).put("inTarget", t.existing().contains(s.id()));
                }
            }
            node.put("toCopy", plan.toCopyCount());
            out.println(ParleyJson.write(node));
            return;
        }
        out.println("dry run: nothing is written");
        out.println("from    " + source.describe());
        out.println("to      " + target.describe());
        for (MigrationPlan.TenantPlan t : plan.tenants()) {
            out.printf("tenant %s: %s of %s%n", t.tenant(), count(t.sessions().size(), "session"), count(t.users().size(), "user"));
            for (SessionInfo s : t.sessions()) {
                String line = String.format("  %-28s %-16s last seq %-6d %s", s.id(), s.user(), s.lastSeq(),
                        t.existing().contains(s.id()) ? existingNote : "");
                out.println(line.stripTrailing());
            }
        }
        if (plan.existing().isEmpty() || skipExisting) {
            out.printf("would copy %d of %s%n", plan.toCopyCount(), count(plan.sessionCount(), "session"));
        } else {
            out.printf("would copy nothing: %s in the target already (add --skip-existing to copy the other %d)%n",
                    count(plan.existing().size(), "session is", "sessions are"), plan.toCopyCount());
        }
    }

    private void printReport(SessionStore source, SessionStore target, MigrationReport report) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = ParleyJson.object().put("from", source.describe()).put("to", target.describe())
                    .put("copied", report.copied.size()).put("entries", report.entries())
                    .put("skippedExisting", report.skippedExisting).put("users", report.users).put("userKeys", report.userKeys)
                    .put("stateKeys", report.stateKeys).put("budgets", report.budgets).put("verified", report.verified);
            strings(node.putArray("vanished"), report.vanished);
            strings(node.putArray("problems"), report.problems);
            strings(node.putArray("mismatches"), report.mismatches);
            out.println(ParleyJson.write(node));
        } else {
            out.println("from      " + source.describe());
            out.println("to        " + target.describe());
            out.printf("copied    %s (%s); %d already in the target left as they were%n",
                    count(report.copied.size(), "session"), count(report.entries(), "entry", "entries"), report.skippedExisting);
            out.printf("shared    %s (%s), %s, %s%n", count(report.users, "user"), count(report.userKeys, "key"),
                    count(report.stateKeys, "state key"), count(report.budgets, "budget counter"));
            if (!report.vanished.isEmpty()) {
                out.println("gone      " + names(report.vanished) + " (deleted or expired in the source while copying)");
            }
            out.printf("verified  %d of %s: entry counts and SHA-256 checksums match%n", report.verified,
                    count(report.copied.size(), "session"));
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String problem : report.problems) {
            err.println("parley: " + problem);
        }
        for (String mismatch : report.mismatches) {
            err.println("parley: verification failed: " + mismatch);
        }
        if (report.failed()) {
            err.println("parley: the migration finished with " + (report.problems.size() + report.mismatches.size())
                    + " problem(s), listed above");
        }
    }

    private static String count(long n, String one) {
        return count(n, one, one + "s");
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}

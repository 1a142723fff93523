package dev.parley.cli;

import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;

import java.util.ArrayList;
import java.util.List;

/** What a migration did, filled in as it goes, so a failure half-way can still say how far it came. */
final class MigrationReport {

    /** A session written to the target, with what verification compares against. */
    record Copied(TenantId tenant, SessionId id, int entries, String checksum) {
        String name() {
            return tenant + "/" + id;
        }
    }

    final List<Copied> copied = new ArrayList<>();
    /** Sessions left alone because the target had them already (--skip-existing). */
    int skippedExisting;
    /** Sessions deleted or expired in the source between listing and copying. */
    final List<String> vanished = new ArrayList<>();
    int users;
    int userKeys;
    int stateKeys;
    int budgets;
    /** Things not copied, or copied differently, each naming what and why; any of them fails the command. */
    final List<String> problems = new ArrayList<>();
    int verified;
    /** Copied sessions that read back from the target differently from the source. */
    final List<String> mismatches = new ArrayList<>();

    long entries() {
        return copied.stream().mapToLong(Copied::entries).sum();
    }

    boolean failed() {
        return !problems.isEmpty() || !mismatches.isEmpty();
    }
}

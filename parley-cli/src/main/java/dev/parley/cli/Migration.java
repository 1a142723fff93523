package dev.parley.cli;

import dev.parley.ConflictException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.Parley;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.store.SessionImage;
import dev.parley.store.SessionImages;
import dev.parley.store.SessionStore;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;

/**
 * Copies the sessions of a {@link MigrationPlan} from one store to another, each as one consistent
 * image written in one bulk import, then reads every copy back from the target and compares its
 * entry count and {@link SessionChecksum} with what was read from the source.
 */
final class Migration {
    private final SessionStore source;
    private final SessionStore target;
    private final Parley sourceEngine;
    private final Parley targetEngine;
    private final MigrationProgress.Mode progressMode;
    private final PrintWriter err;
    private final MigrationReport report = new MigrationReport();

    Migration(SessionStore source, SessionStore target, MigrationProgress.Mode progressMode, PrintWriter err) {
        this.source = source;
        this.target = target;
        // Engines over the stores only to export images; the stores stay owned (and closed) by the caller.
        this.sourceEngine = Parley.builder().store(source).build();
        this.targetEngine = Parley.builder().store(target).build();
        this.progressMode = progressMode;
        this.err = err;
    }

    /** What has been done so far, also after a failure half-way. */
    MigrationReport report() {
        return report;
    }

    MigrationReport run(MigrationPlan plan) {
        SharedDataCopy shared = new SharedDataCopy(source, target, report);
        Set<String> blockedUsers = new HashSet<>();
        for (MigrationPlan.TenantPlan tenant : plan.tenants()) {
            shared.copyTenant(tenant.tenant());
            for (UserId user : tenant.users()) {
                if (!shared.copyUser(tenant.tenant(), user)) {
                    blockedUsers.add(tenant.tenant() + "/" + user);
                }
            }
            report.skippedExisting += tenant.existing().size();
        }
        try (MigrationProgress progress = MigrationProgress.start(progressMode, "copying", plan.toCopyCount(), err)) {
            for (MigrationPlan.TenantPlan tenant : plan.tenants()) {
                for (SessionInfo info : tenant.toCopy()) {
                    if (!blockedUsers.contains(tenant.tenant() + "/" + info.user())) {
                        copy(tenant.tenant(), info, shared);
                    }
                    progress.step();
                }
            }
        }
        verify();
        return report;
    }

    private void copy(TenantId tenant, SessionInfo info, SharedDataCopy shared) {
        String name = tenant + "/" + info.id();
        SessionImage image;
        try {
            image = sourceEngine.forTenant(tenant).export(info.id());
        } catch (NotFoundException deletedMeanwhile) {
            report.vanished.add(name);
            return;
        }
        try {
            SessionImages.validate(image);
            target.importSession(image);
        } catch (InvalidInputException | ConflictException e) {
            report.problems.add("session " + name + " was not copied: " + e.getMessage());
            return;
        }
        shared.copySessionBudget(tenant, info.id());
        report.copied.add(new MigrationReport.Copied(tenant, info.id(), image.entries().size(), SessionChecksum.of(image)));
    }

    private void verify() {
        try (MigrationProgress progress = MigrationProgress.start(progressMode, "verifying", report.copied.size(), err)) {
            for (MigrationReport.Copied copied : report.copied) {
                String mismatch = mismatch(copied);
                if (mismatch == null) {
                    report.verified++;
                } else {
                    report.mismatches.add(copied.name() + ": " + mismatch);
                }
                progress.step();
            }
        }
    }

    private String mismatch(MigrationReport.Copied copied) {
        SessionImage image;
        try {
            image = targetEngine.forTenant(copied.tenant()).export(copied.id());
        } catch (NotFoundException e) {
            return "missing from the target";
        }
        if (image.entries().size() != copied.entries()) {
            return copied.entries() + " entries in the source, " + image.entries().size() + " in the target";
        }
        String checksum = SessionChecksum.of(image);
        if (!checksum.equals(copied.checksum())) {
            return "checksum differs (source " + copied.checksum().substring(0, 12) + "…, target " + checksum.substring(0, 12) + "…)";
        }
        return null;
    }
}

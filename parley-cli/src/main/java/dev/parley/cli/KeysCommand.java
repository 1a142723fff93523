package dev.parley.cli;

import dev.parley.Parley;
import dev.parley.json.ParleyJson;
import dev.parley.server.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code parley keys …}: the API keys of the server's store. Keys are stored hashed, so a key is printed once, when it
 * is created; every server sharing the store sees a change at once.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys (stored hashed); rotate the master key of the vaults.")
final class KeysCommand {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static ObjectNode view(ApiKeys.Key key) {
        return ParleyJson.object().put("id", key.id()).put("tenant", key.tenant().value()).put("role", key.role().wireName())
                .put("name", key.name()).put("createdAt", key.createdAt().toString())
                .put("revokedAt", key.revokedAt() == null ? null : key.revokedAt().toString()).put("active", key.active());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key for the tenant of --tenant and print it (only this once).")
    int create(@Option(names = "--admin", description = "An admin key: also manages keys (/v1/admin/keys).") boolean admin,
               @Option(names = "--name", paramLabel = "TEXT", description = "What the key is for.") String name) {
        try (Parley parley = global.open()) {
            ApiKeys.Created created = new ApiKeys(parley.store(), parley.clock()).create(parley.tenant(),
                    admin ? ApiKeys.Role.ADMIN : ApiKeys.Role.TENANT, name);
            if (global.json) {
                out().println(ParleyJson.write(view(created.key()).put("key", created.secret())));
            } else {
                out().println(created.secret());
                spec.commandLine().getErr().println("parley: created " + created.key().role().wireName() + " key "
                        + created.key().id() + " for tenant " + created.key().tenant()
                        + "; it is shown only now (only its hash is stored)");
            }
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List keys (never their secrets), oldest first.")
    int list(@Option(names = "--all-tenants", description = "Every tenant's keys, not only those of --tenant.") boolean all) {
        try (Parley parley = global.open()) {
            List<ApiKeys.Key> keys = new ApiKeys(parley.store(), parley.clock()).list().stream()
                    .filter(k -> all || k.tenant().equals(parley.tenant())).toList();
            if (global.json) {
                ObjectNode node = ParleyJson.object();
                ArrayNode items = node.putArray("items");
                keys.forEach(k -> items.add(view(k)));
                out().println(ParleyJson.write(node));
                return 0;
            }
            if (keys.isEmpty()) {
                out().println(all ? "no keys" : "no keys in tenant " + parley.tenant().value()
                        + " (--all-tenants lists every tenant's)");
                return 0;
            }
            out().printf("%-16s %-16s %-7s %-21s %-21s %s%n", "ID", "TENANT", "ROLE", "CREATED", "REVOKED", "NAME");
            for (ApiKeys.Key k : keys) {
                out().printf("%-16s %-16s %-7s %-21s %-21s %s%n", k.id(), k.tenant(), k.role().wireName(),
                        Render.time(k.createdAt()), k.revokedAt() == null ? "-" : Render.time(k.revokedAt()),
                        k.name() == null ? "" : k.name());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key at once, on every server.")
    int revoke(@Parameters(paramLabel = "ID", description = "The key's id (from 'parley keys ls').") String id) {
        try (Parley parley = global.open()) {
            ApiKeys.Key key = new ApiKeys(parley.store(), parley.clock()).revoke(id);
            if (global.json) {
                out().println(ParleyJson.write(view(key)));
            } else {
                out().println("revoked " + key.id() + " (tenant " + key.tenant() + ")");
            }
            return 0;
        }
    }

    /** Where the master key comes from; tests replace it. */
    static java.util.function.Function<String, String> environment = System::getenv;

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Re-wrap every user's key-encryption key under the primary master key: the first key of "
                    + "PARLEY_MASTER_KEY ([ID:]KEY[,[ID:]KEY…], new key first, old keys after it), or the first line of "
                    + "the data directory's master.key on a single machine.",
                    "Run it once every server has the new key first; then the old key can be removed."})
    int rotate() {
        try (Parley parley = global.open()) {
            dev.parley.security.KeyChain chain = new dev.parley.security.KeyChain(
                    dev.parley.security.MasterKeys.forStore(global.store, environment.apply(dev.parley.security.MasterKeys.VARIABLE)));
            dev.parley.security.KeyRotation.Report report = dev.parley.security.KeyRotation.rotate(parley.store(), chain);
            String primary = chain.ring().primary().id();
            if (global.json) {
                ObjectNode node = ParleyJson.object().put("primary", primary).put("rotated", report.rotated())
                        .put("alreadyCurrent", report.alreadyCurrent()).put("gone", report.gone()).put("complete", report.complete());
                ArrayNode failures = node.putArray("failures");
                report.failures().forEach(f -> failures.addObject().put("tenant", f.tenant().value()).put("user", f.user().value())
                        .put("reason", f.reason()));
                out().println(ParleyJson.write(node));
            } else {
                out().println("rotated " + report.rotated() + " user key" + (report.rotated() == 1 ? "" : "s") + " to master key "
                        + primary + "; " + report.alreadyCurrent() + " already under it; " + report.gone()
                        + " erased meanwhile");
            }
            PrintWriter err = spec.commandLine().getErr();
            if (!report.complete()) {
                err.println("parley: " + report.failed() + " key" + (report.failed() == 1 ? "" : "s")
                        + " could not be rotated and still need their old master key:");
                report.failures().forEach(f -> err.println("  " + f.tenant() + "/" + f.user() + ": " + f.reason()));
                return ParleyCli.USER_ERROR;
            }
            if (chain.ring().ids().size() > 1) {
                err.println("parley: every user key is now under " + primary + "; remove the older keys from "
                        + dev.parley.security.MasterKeys.VARIABLE + " once every server runs with " + primary + " first");
            }
            return 0;
        }
    }
}

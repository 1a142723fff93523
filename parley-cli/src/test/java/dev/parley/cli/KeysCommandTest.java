package dev.parley.cli;

import dev.parley.json.ParleyJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", "sqlite:" + dir.resolve("parley.db")));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = ParleyCli.run(all.toArray(String[]::new), new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return status;
    }

    @Test
    void aKeyIsPrintedOnceListedWithoutItsSecretAndRevoked() {
        assertThat(run("keys", "create", "--tenant", "acme", "--name", "ci")).isZero();
        String key = out.strip();
        assertThat(key).matches("pk_[0-9a-z]{12}_[0-9a-z]{32}");
        assertThat(err).contains("shown only now");
        String id = key.substring(3, 15);

        assertThat(run("keys", "ls", "--tenant", "acme")).isZero();
        assertThat(out).contains(id).contains("acme").contains("tenant").contains("ci").doesNotContain(key.substring(16));

        assertThat(run("keys", "revoke", id)).isZero();
        assertThat(out.strip()).isEqualTo("revoked " + id + " (tenant acme)");
        assertThat(run("keys", "ls", "--tenant", "acme", "--json")).isZero();
        JsonNode listed = ParleyJson.parse(out, "keys ls").get("items").get(0);
        assertThat(listed.get("active").asBoolean()).isFalse();
        assertThat(listed.get("revokedAt").isNull()).isFalse();
    }

    @Test
    void keysOfOtherTenantsAreListedOnlyWhenAsked() {
        run("keys", "create", "--tenant", "acme");
        run("keys", "create", "--tenant", "globex", "--admin", "--json");
        JsonNode created = ParleyJson.parse(out, "keys create");
        assertThat(created.get("role").asString()).isEqualTo("admin");
        assertThat(created.get("key").asString()).startsWith("pk_");

        assertThat(run("keys", "ls", "--tenant", "acme")).isZero();
        assertThat(out).doesNotContain("globex");
        assertThat(run("keys", "ls", "--all-tenants")).isZero();
        assertThat(out).contains("globex").contains("acme");
    }

    @Test
    void mistakesAreOneLineErrors() {
        assertThat(run("keys", "revoke", "nosuchkey")).isEqualTo(1);
        assertThat(err.strip()).isEqualTo("parley: no API key 'nosuchkey'");
        assertThat(run("keys", "create", "--tenant", "parley-admin")).isEqualTo(1);
        assertThat(err).contains("reserved");
        assertThat(run("keys", "ls")).isZero();
        assertThat(out.strip()).isEqualTo("no keys in tenant default (--all-tenants lists every tenant's)");
        assertThat(run("keys", "ls", "--all-tenants")).isZero();
        assertThat(out.strip()).isEqualTo("no keys");
    }

    @Test
    void rotatingReWrapsEveryUserKeyUnderTheNewMasterKeySoOnlyTheNewKeyIsNeeded() {
        dev.parley.security.MasterKey oldKey = dev.parley.security.MasterKey.generate();
        dev.parley.security.MasterKey newKey = dev.parley.security.MasterKey.generate();
        try (dev.parley.store.SessionStore store = dev.parley.store.SessionStores.open("sqlite:" + dir.resolve("parley.db"),
                java.time.Clock.systemUTC())) {
            dev.parley.security.UserKeys before = new dev.parley.security.UserKeys(store,
                    new dev.parley.security.KeyChain(dev.parley.security.KeyRing.of(oldKey)));
            before.getOrCreate(dev.parley.domain.TenantId.of("acme"), dev.parley.domain.UserId.of("alice"));
            before.getOrCreate(dev.parley.domain.TenantId.DEFAULT, dev.parley.domain.UserId.of("bob"));
        }
        try {
            KeysCommand.environment = name -> name.equals("PARLEY_MASTER_KEY") ? newKey.encode() + "," + oldKey.encode() : null;
            assertThat(run("keys", "rotate")).as(err).isZero();
            assertThat(out.strip()).isEqualTo("rotated 2 user keys to master key " + newKey.id() + "; 0 already under it; 0 erased meanwhile");
            assertThat(err).contains("remove the older keys from PARLEY_MASTER_KEY");
            assertThat(run("keys", "rotate", "--json")).isZero();
            assertThat(ParleyJson.parse(out, "rotate").get("alreadyCurrent").asInt()).isEqualTo(2);

            KeysCommand.environment = name -> name.equals("PARLEY_MASTER_KEY") ? newKey.encode() : null;
            assertThat(run("keys", "rotate")).isZero();
            try (dev.parley.store.SessionStore store = dev.parley.store.SessionStores.open("sqlite:" + dir.resolve("parley.db"),
                    java.time.Clock.systemUTC())) {
                dev.parley.security.UserKeys after = new dev.parley.security.UserKeys(store,
                        new dev.parley.security.KeyChain(dev.parley.security.KeyRing.of(newKey)));
                assertThat(after.find(dev.parley.domain.TenantId.of("acme"), dev.parley.domain.UserId.of("alice"))).isPresent();
            }

            KeysCommand.environment = name -> name.equals("PARLEY_MASTER_KEY") ? "not-a-key" : null;
            assertThat(run("keys", "rotate")).isEqualTo(ParleyCli.USER_ERROR);
            assertThat(err).startsWith("parley: PARLEY_MASTER_KEY is not a valid master key");
        } finally {
            KeysCommand.environment = System::getenv;
        }
    }
}

package dev.parley.store.postgres;

import dev.parley.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema's history: an ordered list of steps, each applied in place in its own transaction that
 * also records its version in {@code schema_version}. Steps are never edited once released; a change
 * is a new step. Openers serialise on a transaction-scoped advisory lock, so any number of servers
 * may start at once against one database; a database newer than this code is refused.
 */
final class Migrations {

    record Step(int version, String description, List<String> statements) {
    }

    /** Per-session tables cascade from {@code sessions}; text keys use the C collation so order matches Java's. */
    private static final Step INITIAL = new Step(1, "initial schema", List.of("""
            CREATE TABLE $S.sessions (
              pk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              tenant text COLLATE "C" NOT NULL,
              id text COLLATE "C" NOT NULL,
              user_id text COLLATE "C" NOT NULL,
              created_at timestamptz NOT NULL,
              updated_at timestamptz NOT NULL,
              expires_at timestamptz,
              absolute_expires_at timestamptz,
              idle_ttl_ms bigint,
              metadata jsonb NOT NULL,
              settings jsonb NOT NULL,
              version bigint NOT NULL,
              last_seq bigint NOT NULL,
              current_branch text COLLATE "C" NOT NULL,
              initial_head bigint,
              CONSTRAINT sessions_tenant_id_key UNIQUE (tenant, id)
            ) WITH (fillfactor = 80)""",
            "CREATE INDEX sessions_listing ON $S.sessions (tenant, created_at DESC, id DESC)",
            "CREATE INDEX sessions_user_listing ON $S.sessions (tenant, user_id, created_at DESC, id DESC)",
            """
            CREATE TABLE $S.entries (
              session_pk bigint NOT NULL REFERENCES $S.sessions (pk) ON DELETE CASCADE,
              seq bigint NOT NULL,
              parent bigint,
              depth integer NOT NULL,
              message_count integer NOT NULL,
              at timestamptz NOT NULL,
              kind text NOT NULL,
              payload text NOT NULL,
              state_ref bigint,
              summary_ref bigint,
              pins_ref bigint,
              CONSTRAINT entries_pkey PRIMARY KEY (session_pk, seq)
            )""",
            """
            CREATE TABLE $S.branches (
              session_pk bigint NOT NULL REFERENCES $S.sessions (pk) ON DELETE CASCADE,
              name text COLLATE "C" NOT NULL,
              head bigint,
              CONSTRAINT branches_pkey PRIMARY KEY (session_pk, name)
            ) WITH (fillfactor = 80)""",
            """
            CREATE TABLE $S.checkpoints (
              session_pk bigint NOT NULL REFERENCES $S.sessions (pk) ON DELETE CASCADE,
              name text COLLATE "C" NOT NULL,
              entry bigint NOT NULL,
              note text,
              at timestamptz NOT NULL,
              ord bigint GENERATED ALWAYS AS IDENTITY,
              CONSTRAINT checkpoints_pkey PRIMARY KEY (session_pk, name)
            )""",
            "CREATE INDEX checkpoints_by_entry ON $S.checkpoints (session_pk, entry)",
            """
            CREATE TABLE $S.vault (
              session_pk bigint NOT NULL REFERENCES $S.sessions (pk) ON DELETE CASCADE,
              placeholder text COLLATE "C" NOT NULL,
              lookup text COLLATE "C" NOT NULL,
              ciphertext text NOT NULL,
              ord bigint GENERATED ALWAYS AS IDENTITY,
              CONSTRAINT vault_placeholder_key PRIMARY KEY (session_pk, placeholder),
              CONSTRAINT vault_lookup_key UNIQUE (session_pk, lookup)
            )""",
            """
            CREATE TABLE $S.idempotency (
              session_pk bigint NOT NULL REFERENCES $S.sessions (pk) ON DELETE CASCADE,
              key text COLLATE "C" NOT NULL,
              request_hash text NOT NULL,
              entries bigint[] NOT NULL,
              at timestamptz NOT NULL,
              pending boolean NOT NULL,
              CONSTRAINT idempotency_pkey PRIMARY KEY (session_pk, key)
            )""",
            """
            CREATE TABLE $S.counters (
              session_pk bigint NOT NULL REFERENCES $S.sessions (pk) ON DELETE CASCADE,
              name text COLLATE "C" NOT NULL,
              value bigint NOT NULL,
              CONSTRAINT counters_pkey PRIMARY KEY (session_pk, name)
            )""",
            """
            CREATE TABLE $S.scoped_state (
              tenant text COLLATE "C" NOT NULL,
              scope text NOT NULL,
              user_id text COLLATE "C" NOT NULL,
              key text COLLATE "C" NOT NULL,
              json text NOT NULL,
              version bigint NOT NULL,
              CONSTRAINT scoped_state_pkey PRIMARY KEY (tenant, scope, user_id, key)
            )""",
            """
            CREATE TABLE $S.budgets (
              tenant text COLLATE "C" NOT NULL,
              level text NOT NULL,
              id text COLLATE "C" NOT NULL,
              used bigint NOT NULL,
              CONSTRAINT budgets_pkey PRIMARY KEY (tenant, level, id)
            )""",
            """
            CREATE TABLE $S.user_keys (
              tenant text COLLATE "C" NOT NULL,
              user_id text COLLATE "C" NOT NULL,
              wrapped_key text NOT NULL,
              CONSTRAINT user_keys_pkey PRIMARY KEY (tenant, user_id)
            )"""));

    /** The TTL sweep and the idempotency sweep pick their oldest rows by index instead of scanning whole tables. */
    private static final Step SWEEP_INDEXES = new Step(2, "indexes for the TTL and idempotency sweeps", List.of(
            "CREATE INDEX sessions_expiry ON $S.sessions (expires_at) WHERE expires_at IS NOT NULL",
            "CREATE INDEX idempotency_age ON $S.idempotency (at)"));

    /**
     * An entry's foreign key cost a lookup of its session per inserted row, a sixth of the database's CPU per
     * append; a write inserts entries only while it holds its session's row lock, which a DELETE must wait for,
     * so the key guarded nothing the locking did not. What it did on delete, a statement trigger does, once per
     * statement instead of once per row. Its DELETE runs on a snapshot taken after the session rows were deleted
     * (a new one per statement in a volatile function), so entries a write committed while the DELETE waited
     * for its lock go too.
     */
    private static final Step ENTRIES_BY_TRIGGER = new Step(3, "entries deleted with their session by a statement trigger"
            + " instead of a per-row foreign key", List.of(
            "ALTER TABLE $S.entries DROP CONSTRAINT entries_session_pk_fkey",
            """
            CREATE FUNCTION $S.delete_entries_of_deleted_sessions() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $body$
            BEGIN
              DELETE FROM $S.entries e USING gone WHERE e.session_pk = gone.pk;
              RETURN NULL;
            END
            $body$""",
            "CREATE TRIGGER delete_entries AFTER DELETE ON $S.sessions REFERENCING OLD TABLE AS gone"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION $S.delete_entries_of_deleted_sessions()"));

    /**
     * A write and its COMMIT travel in one message (decision 96), so the check that every locked session row
     * was updated must fail the statement itself, before COMMIT runs, rather than be made by the caller after.
     */
    private static final Step EXPECT_ROWS = new Step(4, "a function that fails a write statement whose locked rows changed",
            List.of("""
            CREATE FUNCTION $S.expect_rows(expected bigint, actual bigint) RETURNS bigint LANGUAGE plpgsql AS $body$
            BEGIN
              IF actual <> expected THEN
                RAISE EXCEPTION 'a locked session row changed under its lock (% of % updated)', actual, expected
                  USING ERRCODE = 'serialization_failure';
              END IF;
              RETURN actual;
            END
            $body$"""));

    static final List<Step> STEPS = List.of(INITIAL, SWEEP_INDEXES, ENTRIES_BY_TRIGGER, EXPECT_ROWS);

    /** Distinguishes Parley's advisory locks from any other application's on the same database. */
    private static final int LOCK_CLASS = 0x7061726c;

    private Migrations() {
    }

    static int latest() {
        return STEPS.getLast().version();
    }

    /** Brings {@code schema} to the latest version; returns the version it found. */
    static int migrate(Connection c, String schema, String where) throws SQLException {
        return migrate(c, schema, where, latest());
    }

    /** Brings {@code schema} up to {@code target} (tests stop early to build older schemas); returns the version it found. */
    static int migrate(Connection c, String schema, String where, int target) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int found = -1;
            while (true) {
                int current = lockAndReadVersion(c, schema);
                if (found < 0) {
                    found = current;
                }
                if (current > latest()) {
                    c.rollback();
                    throw new StoreException("schema " + schema + " on " + where + " is at version " + current
                            + ", newer than this Parley knows (" + latest() + "): run a Parley at least as new as the one"
                            + " that upgraded it");
                }
                if (current >= target) {
                    c.commit();
                    return found;
                }
                Step step = STEPS.get(current);
                try (Statement st = c.createStatement()) {
                    for (String sql : step.statements()) {
                        st.execute(sql.replace("$S.", quote(schema) + "."));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + quote(schema)
                        + ".schema_version (version, description) VALUES (?, ?)")) {
                    ps.setInt(1, step.version());
                    ps.setString(2, step.description());
                    ps.executeUpdate();
                }
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            Db.rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The schema's version (0 for a new one), read under the migration lock held until this transaction ends. */
    private static int lockAndReadVersion(Connection c, String schema) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setInt(2, schema.hashCode());
            lock.execute();
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
            st.execute("CREATE TABLE IF NOT EXISTS " + quote(schema) + ".schema_version (version integer PRIMARY KEY,"
                    + " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + quote(schema) + ".schema_version")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String quote(String schema) {
        return '"' + schema + '"';
    }
}

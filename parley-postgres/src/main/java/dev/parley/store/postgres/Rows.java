package dev.parley.store.postgres;

import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.VaultRow;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/** Column lists and the mapping between rows and domain records, in one place so every query agrees. */
final class Rows {
    private Rows() {
    }

    static final String SESSION_COLUMNS = "s.pk, s.tenant, s.id, s.user_id, s.created_at, s.updated_at, s.expires_at, "
            + "s.absolute_expires_at, s.idle_ttl_ms, s.metadata, s.settings, s.version, s.last_seq, s.current_branch, s.initial_head";

    static final String ENTRY_COLUMNS = entryColumns("e");

    /** The columns {@link #entry} reads, of the entries table (or a walk over it) aliased {@code alias}. */
    static String entryColumns(String alias) {
        return String.join(", ", Stream.of("seq", "parent", "depth", "message_count", "at", "kind", "payload",
                "state_ref", "summary_ref", "pins_ref").map(column -> alias + "." + column).toList());
    }

    /** The SQL condition "session {@code s} has not expired at the instant bound to the next parameter". */
    static final String LIVE = "(s.expires_at IS NULL OR s.expires_at > ?)";

    static SessionInfo session(ResultSet rs) throws SQLException {
        long idle = rs.getLong("idle_ttl_ms");
        Duration idleTtl = rs.wasNull() ? null : Duration.ofMillis(idle);
        return new SessionInfo(TenantId.of(rs.getString("tenant")), SessionId.of(rs.getString("id")),
                UserId.of(rs.getString("user_id")), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "expires_at"), instant(rs, "absolute_expires_at"), idleTtl,
                ParleyJson.stringMap(rs.getString("metadata"), "session metadata"), rs.getLong("version"),
                rs.getLong("last_seq"), rs.getString("current_branch"), entryId(rs, "initial_head"),
                ParleyJson.stringMap(rs.getString("settings"), "session settings"));
    }

    static Entry entry(ResultSet rs) throws SQLException {
        EntryKind kind = EntryKind.valueOf(rs.getString("kind"));
        return new Entry(EntryId.of(rs.getLong("seq")), entryId(rs, "parent"), rs.getInt("depth"), rs.getInt("message_count"),
                instant(rs, "at"), kind, ParleyJson.payload(kind, rs.getString("payload")),
                entryId(rs, "state_ref"), entryId(rs, "summary_ref"), entryId(rs, "pins_ref"));
    }

    static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getString("name"), EntryId.of(rs.getLong("entry")), rs.getString("note"), instant(rs, "at"));
    }

    static VaultRow vault(ResultSet rs) throws SQLException {
        return new VaultRow(rs.getString("placeholder"), rs.getString("lookup"), rs.getString("ciphertext"));
    }

    static IdempotencyRecord idempotency(ResultSet rs) throws SQLException {
        List<EntryId> entries = new ArrayList<>();
        Array array = rs.getArray("entries");
        for (Long seq : (Long[]) array.getArray()) {
            entries.add(EntryId.of(seq));
        }
        return new IdempotencyRecord(rs.getString("key"), rs.getString("request_hash"), entries, instant(rs, "at"),
                rs.getBoolean("pending"));
    }

    /** The entry ids of an idempotency record as the text {@code string_to_array} turns back into {@code bigint[]}. */
    static String entryList(IdempotencyRecord record) {
        StringBuilder out = new StringBuilder();
        for (EntryId id : record.entries()) {
            out.append(out.isEmpty() ? "" : ",").append(id.value());
        }
        return out.toString();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static EntryId entryId(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : EntryId.of(value);
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static Long value(EntryId id) {
        return id == null ? null : id.value();
    }

    static Long millis(Duration duration) {
        return duration == null ? null : duration.toMillis();
    }

    /** Instants as the ISO-8601 text PostgreSQL reads into {@code timestamptz} (exact to the microsecond). */
    static String text(Instant value) {
        return value == null ? null : value.toString();
    }

    static Array bigints(Connection c, Collection<Long> values) throws SQLException {
        return c.createArrayOf("bigint", values.toArray(Long[]::new));
    }

    static Array texts(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(String[]::new));
    }
}

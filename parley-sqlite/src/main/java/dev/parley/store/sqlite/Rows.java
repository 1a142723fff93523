package dev.parley.store.sqlite;

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

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Between rows and domain values: the column lists, and how each value is bound and read back. */
final class Rows {
    /** The columns {@link #session} reads, in order. */
    static final String SESSION_COLUMNS = "s.pk, s.tenant, s.id, s.user_id, s.created_at, s.updated_at, s.expires_at, "
            + "s.absolute_expires_at, s.idle_ttl_ms, s.metadata, s.settings, s.version, s.last_seq, s.current_branch, s.initial_head";
    static final int SESSION_WIDTH = 15;

    /** The columns {@link #entry} reads, in order. */
    static final String ENTRY_COLUMNS = "e.seq, e.parent, e.depth, e.message_count, e.at, e.kind, e.payload, e.state_ref, e.summary_ref, e.pins_ref";

    /** The columns {@link #checkpoint} reads, in order. */
    static final String CHECKPOINT_COLUMNS = "c.name, c.entry, c.note, c.at";

    /** The SQL condition that a session row ({@code s}) has not expired at the bound time. */
    static final String LIVE = "(s.expires_at IS NULL OR s.expires_at > ?)";

    private Rows() {
    }

    /** A session row read from {@link #SESSION_COLUMNS} starting at column {@code at}; its pk is at {@code at}. */
    static SessionInfo session(ResultSet rs, int at) throws SQLException {
        Long idleMillis = optLong(rs, at + 8);
        return new SessionInfo(TenantId.of(rs.getString(at + 1)), SessionId.of(rs.getString(at + 2)),
                UserId.of(rs.getString(at + 3)), instant(rs, at + 4), instant(rs, at + 5), instant(rs, at + 6),
                instant(rs, at + 7), idleMillis == null ? null : Duration.ofMillis(idleMillis),
                ParleyJson.stringMap(rs.getString(at + 9), "session metadata"),
                rs.getLong(at + 11), rs.getLong(at + 12), rs.getString(at + 13), entryId(rs, at + 14),
                ParleyJson.stringMap(rs.getString(at + 10), "session settings"));
    }

    /** An entry read from {@link #ENTRY_COLUMNS} starting at column {@code at}. */
    static Entry entry(ResultSet rs, int at) throws SQLException {
        EntryKind kind = EntryKind.valueOf(rs.getString(at + 5));
        return new Entry(EntryId.of(rs.getLong(at)), entryId(rs, at + 1), rs.getInt(at + 2), rs.getInt(at + 3),
                instant(rs, at + 4), kind, ParleyJson.payload(kind, rs.getString(at + 6)),
                entryId(rs, at + 7), entryId(rs, at + 8), entryId(rs, at + 9));
    }

    /** Binds an entry's columns after {@code sessionPk} in the order of {@link #ENTRY_COLUMNS}. */
    static void bindEntry(PreparedStatement ps, long sessionPk, Entry e, PayloadTexts payloads) throws SQLException {
        ps.setLong(1, sessionPk);
        ps.setLong(2, e.seq());
        bindId(ps, 3, e.parent());
        ps.setInt(4, e.depth());
        ps.setInt(5, e.messageCount());
        ps.setLong(6, e.at().toEpochMilli());
        ps.setString(7, e.kind().name());
        ps.setString(8, payloads.text(e.payload()));
        bindId(ps, 9, e.stateRef());
        bindId(ps, 10, e.summaryRef());
        bindId(ps, 11, e.pinsRef());
    }

    static final String INSERT_ENTRY = "INSERT INTO entries (session_pk, seq, parent, depth, message_count, at, kind, payload, "
            + "state_ref, summary_ref, pins_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static Checkpoint checkpoint(ResultSet rs, int at) throws SQLException {
        return new Checkpoint(rs.getString(at), EntryId.of(rs.getLong(at + 1)), rs.getString(at + 2), instant(rs, at + 3));
    }

    static VaultRow vaultRow(ResultSet rs, int at) throws SQLException {
        return new VaultRow(rs.getString(at), rs.getString(at + 1), rs.getString(at + 2));
    }

    static IdempotencyRecord idempotency(String key, ResultSet rs, int at) throws SQLException {
        List<EntryId> entries = new ArrayList<>();
        String list = rs.getString(at + 1);
        if (!list.isEmpty()) {
            for (String seq : list.split(",")) {
                entries.add(EntryId.of(Long.parseLong(seq)));
            }
        }
        return new IdempotencyRecord(key, rs.getString(at), entries, instant(rs, at + 2), rs.getInt(at + 3) != 0);
    }

    /** The entry ids of an idempotency record as stored: seqs joined by commas. */
    static String entryList(List<EntryId> entries) {
        StringBuilder out = new StringBuilder();
        for (EntryId id : entries) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(id.value());
        }
        return out.toString();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static Long optLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static EntryId entryId(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : EntryId.of(value);
    }

    static void bindId(PreparedStatement ps, int column, EntryId id) throws SQLException {
        if (id == null) {
            ps.setNull(column, Types.INTEGER);
        } else {
            ps.setLong(column, id.value());
        }
    }

    static void bindInstant(PreparedStatement ps, int column, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(column, Types.INTEGER);
        } else {
            ps.setLong(column, at.toEpochMilli());
        }
    }

    static void bindDuration(PreparedStatement ps, int column, Duration duration) throws SQLException {
        if (duration == null) {
            ps.setNull(column, Types.INTEGER);
        } else {
            ps.setLong(column, duration.toMillis());
        }
    }
}

package dev.parley.store.redis;

import dev.parley.InvalidInputException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * One incarnation of a session as the cross-slot indexes name it. {@code uid} tells a session from an
 * earlier one with the same id (deleted or expired and created again), so a stale hint never removes,
 * lists or deletes the newer one. Ids, users and uids never contain a comma, so members split safely.
 */
record SessionRef(TenantId tenant, SessionId id, UserId user, String uid, Instant createdAt) {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Shifts epoch milliseconds to non-negative numbers of a fixed width, whose text sorts like the numbers. */
    private static final long OFFSET = 100_000_000_000_000_000L;
    private static final long LIMIT = 900_000_000_000_000_000L;

    static String newUid() {
        return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    /**
     * The member in a tenant's or user's session index: {@code <sortable createdAt>,<id>,<uid>}. All
     * members have score 0, so the index is ordered by this text: by creation time, then by id, since
     * ',' sorts below every character of an id. A listing cursor becomes an exclusive lexical bound.
     */
    String indexMember() {
        return sortable(createdAt) + "," + id.value() + "," + uid;
    }

    /** The lexical bound just below every member of the sessions created at {@code createdAt} with id {@code id}. */
    static String indexBound(Instant createdAt, SessionId id) {
        return sortable(createdAt) + "," + id.value() + ",";
    }

    /** The member in the global expiry and idempotency indexes: everything needed to find and clean up the session. */
    String globalMember() {
        return tenant.value() + "," + id.value() + "," + uid + "," + user.value() + "," + sortable(createdAt);
    }

    static SessionRef fromGlobal(String member) {
        String[] parts = member.split(",", -1);
        if (parts.length != 5) {
            throw new IllegalStateException("malformed index member '" + member + "'");
        }
        return new SessionRef(TenantId.of(parts[0]), SessionId.of(parts[1]), UserId.of(parts[3]), parts[2], instant(parts[4]));
    }

    /** A member of a session index; {@code user} is null when the index is a tenant's (the member does not name it). */
    static SessionRef fromIndex(TenantId tenant, UserId user, String member) {
        String[] parts = member.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalStateException("malformed index member '" + member + "'");
        }
        return new SessionRef(tenant, SessionId.of(parts[1]), user, parts[2], instant(parts[0]));
    }

    /** The index member's creation time has millisecond precision, like listing cursors. */
    private static String sortable(Instant at) {
        long shifted;
        try {
            shifted = at.toEpochMilli() + OFFSET;
        } catch (ArithmeticException e) {
            shifted = -1;
        }
        if (shifted < 0 || shifted >= LIMIT) {
            throw new InvalidInputException("createdAt", "creation time is out of the supported range: " + at);
        }
        return String.format("%018d", shifted);
    }

    private static Instant instant(String sortable) {
        return Instant.ofEpochMilli(Long.parseLong(sortable) - OFFSET);
    }
}

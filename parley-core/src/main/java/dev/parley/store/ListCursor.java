package dev.parley.store;

import dev.parley.InvalidInputException;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;

/**
 * The position after a listed session: its creation time and id. Listings run newest first by
 * (createdAt, id), which never change, so pages stay stable while sessions are written.
 * Encoded opaquely (base64url) for callers.
 */
public record ListCursor(Instant createdAt, SessionId id) {

    /** The listing order: newest first, then by id descending. */
    public static final Comparator<SessionInfo> ORDER = Comparator.comparing(SessionInfo::createdAt)
            .thenComparing(SessionInfo::id).reversed();

    public static ListCursor after(SessionInfo info) {
        return new ListCursor(info.createdAt(), info.id());
    }

    public String encode() {
        String raw = createdAt.toEpochMilli() + ":" + id.value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static ListCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            return new ListCursor(Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))),
                    SessionId.of(raw.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new InvalidInputException("cursor", "cursor is not one this server issued");
        }
    }

    /** Whether {@code info} comes after this cursor in listing order. */
    public boolean precedes(SessionInfo info) {
        int byTime = info.createdAt().compareTo(createdAt);
        return byTime < 0 || (byTime == 0 && info.id().compareTo(id) < 0);
    }

    /** Checks a page size: 1 to 1000. */
    public static int requireLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit", "limit must be between 1 and 1000: " + limit);
        }
        return limit;
    }
}

package dev.parley.store;

import dev.parley.InvalidInputException;
import dev.parley.domain.TenantId;
import dev.parley.domain.UserId;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Cursors of the listings ordered by id ({@link SessionStore#tenants}, {@link SessionStore#users},
 * {@link SessionStore#userKeys}): the last id of the previous page and the kind of id, encoded opaquely
 * (base64url), so a tenant cursor handed to a listing of users is refused rather than misread. Ids never
 * change, so pages stay stable while the store is written.
 */
public final class IdCursor {
    private static final String TENANT = "tenant:";
    private static final String USER = "user:";

    private IdCursor() {
    }

    /** The cursor of a page ending at {@code tenant}. */
    public static String after(TenantId tenant) {
        return encode(TENANT + tenant.value());
    }

    /** The cursor of a page ending at {@code user}. */
    public static String after(UserId user) {
        return encode(USER + user.value());
    }

    /** The tenant a cursor of {@link SessionStore#tenants} ends at; {@code null} for {@code null} (the first page). */
    public static TenantId tenantAfter(String cursor) {
        if (cursor == null) {
            return null;
        }
        String id = decode(cursor, TENANT);
        try {
            return TenantId.of(id);
        } catch (InvalidInputException e) {
            throw invalid();
        }
    }

    /** The user a cursor of {@link SessionStore#users} or {@link SessionStore#userKeys} ends at; {@code null} for {@code null}. */
    public static UserId userAfter(String cursor) {
        if (cursor == null) {
            return null;
        }
        String id = decode(cursor, USER);
        try {
            return UserId.of(id);
        } catch (InvalidInputException e) {
            throw invalid();
        }
    }

    /**
     * A page of at most {@code limit} items from {@code fetched}, which holds the items after the cursor in
     * order, up to {@code limit + 1} of them: one more than the page shows whether a next page exists.
     */
    public static <T> Page<T> page(List<T> fetched, int limit, Function<T, String> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, cursorOf.apply(items.getLast()));
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, String kind) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!raw.startsWith(kind)) {
            throw invalid();
        }
        return raw.substring(kind.length());
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("cursor", "cursor is not one this store issued for this listing");
    }
}

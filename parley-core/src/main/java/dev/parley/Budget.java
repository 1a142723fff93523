package dev.parley;

import dev.parley.domain.SessionInfo;
import dev.parley.store.BudgetKey;
import dev.parley.store.BudgetLimit;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's view of its token budgets (session, user, tenant). {@link #reserve} before a model
 * call takes tokens from every limited budget at once or from none; {@link #settle} corrects the
 * reservation with what the call really used.
 */
public final class Budget {
    /** Settings key of a session's own lifetime budget. */
    static final String SESSION_LIMIT = "budget.session";

    /** Tokens held for one call; settle it exactly once. */
    public record Reservation(long tokens, List<BudgetKey> keys) {
        public Reservation {
            keys = List.copyOf(keys);
        }
    }

    private final Session session;
    private final BudgetLimits limits;

    Budget(Session session, BudgetLimits limits) {
        this.session = session;
        this.limits = limits;
    }

    private BudgetKey sessionKey() {
        return new BudgetKey(BudgetKey.Level.SESSION, session.id().value());
    }

    private BudgetKey userKey() {
        return new BudgetKey(BudgetKey.Level.USER, session.user().value());
    }

    private BudgetKey tenantKey() {
        return new BudgetKey(BudgetKey.Level.TENANT, session.tenant().value());
    }

    private Long sessionLimit() {
        return sessionLimit(session.info());
    }

    private Long sessionLimit(SessionInfo info) {
        String own = info.settings().get(SESSION_LIMIT);
        return own != null ? Long.valueOf(own) : limits.perSession();
    }

    /**
     * Reserves {@code tokens} from every budget; {@link BudgetExceededException} (and nothing reserved) if one cannot
     * cover it. When none of the budgets has a limit there is nothing to hold back: nothing is written, and
     * {@link #settle} records the tokens actually used.
     */
    public Reservation reserve(long tokens) {
        return reserve(tokens, session.info());
    }

    /** {@link #reserve(long)} with the session's row as the caller has just read it (for its own budget setting). */
    public Reservation reserve(long tokens, SessionInfo info) {
        if (tokens < 0) {
            throw new InvalidInputException("tokens", "tokens to reserve must be >= 0: " + tokens);
        }
        Long own = sessionLimit(info);
        if (own == null && limits.perUser() == null && limits.perTenant() == null) {
            // A reservation only keeps concurrent calls from overspending a limit; without one it would cost a durable
            // write per call for nothing.
            return new Reservation(0, List.of(sessionKey(), userKey(), tenantKey()));
        }
        List<BudgetLimit> checked = new ArrayList<>();
        checked.add(new BudgetLimit(sessionKey(), own == null ? Long.MAX_VALUE / 4 : own));
        checked.add(new BudgetLimit(userKey(), limits.perUser() == null ? Long.MAX_VALUE / 4 : limits.perUser()));
        checked.add(new BudgetLimit(tenantKey(), limits.perTenant() == null ? Long.MAX_VALUE / 4 : limits.perTenant()));
        session.parley().store().reserve(session.tenant(), checked, tokens);
        return new Reservation(tokens, checked.stream().map(BudgetLimit::key).toList());
    }

    /** Replaces a reservation by the tokens actually used. */
    public void settle(Reservation reservation, long actualTokens) {
        if (actualTokens < 0) {
            throw new InvalidInputException("actualTokens", "actual tokens must be >= 0: " + actualTokens);
        }
        session.parley().store().settle(session.tenant(), reservation.keys(), reservation.tokens(), actualTokens);
    }

    public long usedBySession() {
        return session.parley().store().budgetUsed(session.tenant(), sessionKey());
    }

    public long usedByUser() {
        return session.parley().store().budgetUsed(session.tenant(), userKey());
    }

    public long usedByTenant() {
        return session.parley().store().budgetUsed(session.tenant(), tenantKey());
    }

    /** Tokens this session may still spend under its tightest budget ({@code Long.MAX_VALUE} if unlimited). */
    public long remaining() {
        long remaining = Long.MAX_VALUE;
        Long own = sessionLimit();
        if (own != null) {
            remaining = Math.min(remaining, own - usedBySession());
        }
        if (limits.perUser() != null) {
            remaining = Math.min(remaining, limits.perUser() - usedByUser());
        }
        if (limits.perTenant() != null) {
            remaining = Math.min(remaining, limits.perTenant() - usedByTenant());
        }
        return Math.max(0, remaining);
    }
}

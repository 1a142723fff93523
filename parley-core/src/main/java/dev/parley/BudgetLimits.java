package dev.parley;

/**
 * Lifetime token budgets: the most tokens one session, one user, or the whole tenant may spend.
 * {@code null} means unlimited. Budgets are counters in the store, reserved before a model call and
 * settled with the usage the provider reports, so processes sharing a store never overspend.
 */
public record BudgetLimits(Long perSession, Long perUser, Long perTenant) {
    public static final BudgetLimits UNLIMITED = new BudgetLimits(null, null, null);

    public BudgetLimits {
        check("perSession", perSession);
        check("perUser", perUser);
        check("perTenant", perTenant);
    }

    private static void check(String field, Long value) {
        if (value != null && value < 1) {
            throw new InvalidInputException(field, field + " budget must be >= 1 token: " + value);
        }
    }
}

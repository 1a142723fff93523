package dev.parley.store;

import java.util.Objects;

/** A budget counter and the most it may reach. */
public record BudgetLimit(BudgetKey key, long limit) {
    public BudgetLimit {
        Objects.requireNonNull(key, "key");
        if (limit < 0) {
            throw new dev.parley.InvalidInputException("budget limit", "budget limit must be >= 0: " + limit);
        }
    }
}

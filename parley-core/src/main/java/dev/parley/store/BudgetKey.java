package dev.parley.store;

import java.util.Objects;

/** A lifetime token budget counter: of one session, one user, or the whole tenant. */
public record BudgetKey(Level level, String id) {
    public enum Level { SESSION, USER, TENANT }

    public BudgetKey {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return level.name().toLowerCase(java.util.Locale.ROOT) + " " + id;
    }
}

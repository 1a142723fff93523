package dev.parley;

/** A token budget (per session, user or tenant) cannot cover a reservation; nothing was reserved. */
public final class BudgetExceededException extends ParleyException {
    private final String budget;
    private final long requested;
    private final long available;

    public BudgetExceededException(String budget, long requested, long available) {
        super("budget " + budget + " exceeded: requested " + requested + " tokens, " + available + " available");
        this.budget = budget;
        this.requested = requested;
        this.available = available;
    }

    public String budget() {
        return budget;
    }

    public long requested() {
        return requested;
    }

    public long available() {
        return available;
    }
}

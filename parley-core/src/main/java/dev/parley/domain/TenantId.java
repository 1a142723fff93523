package dev.parley.domain;

/** Identifies a tenant: 1–64 characters of {@code [a-z0-9_-]}, starting with a letter or digit. Every stored row is scoped by it. */
public record TenantId(String value) implements Comparable<TenantId> {
    private static final IdRule SHAPE = new IdRule("a-z0-9", "a-z0-9_-", 64);

    /** The tenant of a library used without tenants. */
    public static final TenantId DEFAULT = new TenantId("default");

    public TenantId {
        Ids.require("tenant id", value, SHAPE, "1-64 characters of [a-z0-9_-] starting with a letter or digit");
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public int compareTo(TenantId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

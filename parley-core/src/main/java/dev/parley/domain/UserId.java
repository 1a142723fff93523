package dev.parley.domain;

/** Identifies the end user a session belongs to: 1–128 characters of {@code [A-Za-z0-9._@+:-]}, starting with a letter or digit (e-mail addresses fit). */
public record UserId(String value) implements Comparable<UserId> {
    private static final IdRule SHAPE = new IdRule("A-Za-z0-9", "A-Za-z0-9._@+:-", 128);

    public UserId {
        Ids.require("user id", value, SHAPE, "1-128 characters of [A-Za-z0-9._@+:-] starting with a letter or digit");
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    /** The user of sessions created without one. */
    public static final UserId ANONYMOUS = new UserId("anonymous");

    @Override
    public int compareTo(UserId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

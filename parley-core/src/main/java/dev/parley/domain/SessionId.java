package dev.parley.domain;

/**
 * Identifies a session within a tenant. Given ids are 1–128 characters of {@code [A-Za-z0-9._-]}
 * starting with a letter or digit, so they are safe as file names, URL segments and keys.
 * Generated ids carry 130 random bits.
 */
public record SessionId(String value) implements Comparable<SessionId> {
    static final String RULE = "1-128 characters of [A-Za-z0-9._-] starting with a letter or digit";
    private static final IdRule SHAPE = new IdRule("A-Za-z0-9", "A-Za-z0-9._-", 128);

    public SessionId {
        Ids.require("session id", value, SHAPE, RULE);
    }

    public static SessionId of(String value) {
        return new SessionId(value);
    }

    /** A new unguessable id (130 random bits). */
    public static SessionId random() {
        return new SessionId(Ids.random());
    }

    @Override
    public int compareTo(SessionId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

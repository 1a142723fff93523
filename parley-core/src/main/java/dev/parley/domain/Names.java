package dev.parley.domain;

/** Rules for branch and checkpoint names: 1–100 characters of {@code [A-Za-z0-9._/-]}, starting with a letter or digit. */
public final class Names {
    private static final IdRule SHAPE = new IdRule("A-Za-z0-9", "A-Za-z0-9._/-", 100);
    private static final String RULE = "1-100 characters of [A-Za-z0-9._/-] starting with a letter or digit";

    /** Prefix of the checkpoints the engine makes itself ({@code auto/<seq>}); users cannot take it. */
    public static final String AUTO_PREFIX = "auto/";

    /** The branch every session starts with. */
    public static final String MAIN = "main";

    private Names() {
    }

    public static String branch(String name) {
        return Ids.require("branch name", name, SHAPE, RULE);
    }

    public static String checkpoint(String name) {
        return Ids.require("checkpoint name", name, SHAPE, RULE);
    }

    /** A checkpoint name a user may choose: valid and not in the engine's {@code auto/} namespace. */
    public static String userCheckpoint(String name) {
        checkpoint(name);
        if (name.startsWith(AUTO_PREFIX)) {
            throw new dev.parley.InvalidInputException("checkpoint name",
                    "checkpoint name must not start with 'auto/' (reserved for automatic checkpoints): " + Ids.quote(name));
        }
        return name;
    }

    public static String autoCheckpoint(EntryId at) {
        return AUTO_PREFIX + at.value();
    }
}

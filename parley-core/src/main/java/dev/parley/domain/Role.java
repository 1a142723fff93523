package dev.parley.domain;

import dev.parley.InvalidInputException;

import java.util.Locale;

/** Who speaks a message. */
public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL;

    /** The lower-case wire name ({@code "user"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a role name, case-insensitively; an unknown one is an error naming the field. */
    public static Role parse(String text) {
        if (text != null) {
            for (Role role : values()) {
                if (role.name().equalsIgnoreCase(text)) {
                    return role;
                }
            }
        }
        throw new InvalidInputException("role", "role must be one of system, user, assistant, tool: "
                + (text == null ? "null" : Ids.quote(text)));
    }
}

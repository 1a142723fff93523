package dev.parley;

/** Bad input from a caller. The message names the field, the rule and the offending value; nothing was changed. */
public final class InvalidInputException extends ParleyException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The name of the argument or field that was wrong, e.g. {@code "session id"} or {@code "role"}. */
    public String field() {
        return field;
    }
}

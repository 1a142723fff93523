package dev.parley;

/** The addressed session, entry, branch or checkpoint does not exist (or belongs to another tenant, or has expired). */
public final class NotFoundException extends ParleyException {
    public NotFoundException(String message) {
        super(message);
    }
}

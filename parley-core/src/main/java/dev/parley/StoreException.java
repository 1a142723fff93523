package dev.parley;

/** The backend failed (I/O error, full disk, read-only database, lost connection). The write did not land. */
public final class StoreException extends ParleyException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}

package dev.parley.store.sqlite;

import dev.parley.StoreException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;

/** Turns SQLite's failures into a {@link StoreException} that says, in words, what is wrong with which file. */
final class SqliteErrors {
    // SQLite's primary result codes (https://sqlite.org/rescode.html)
    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int READONLY = 8;
    private static final int IOERR = 10;
    private static final int CORRUPT = 11;
    private static final int FULL = 13;
    private static final int CANTOPEN = 14;
    private static final int NOTADB = 26;

    private SqliteErrors() {
    }

    static StoreException translate(Path file, String doing, SQLException e) {
        return new StoreException(describe(file, doing, e), e);
    }

    static String describe(Path file, String doing, SQLException e) {
        int primary = primaryCode(e);
        String detail = e.getMessage();
        return switch (primary) {
            case READONLY -> "database " + file + " is read-only; nothing was written (" + doing + ": " + detail + ")";
            case FULL -> "disk full writing " + file + "; nothing was written (" + doing + ")";
            case IOERR -> "I/O error on " + file + " while " + doing + ": " + detail;
            case BUSY, LOCKED -> "database " + file + " is locked by another process while " + doing + "; try again later";
            case CORRUPT, NOTADB -> "file " + file + " is not a valid SQLite database or is corrupt (" + doing + ": " + detail + ")";
            case CANTOPEN -> "cannot open database " + file + " (" + doing + "): check that the file and its directory exist"
                    + " and are readable and writable";
            default -> "SQLite error on " + file + " while " + doing + ": " + detail;
        };
    }

    /** SQLite's primary result code (extended codes carry it in the low byte), or -1 if unknown. */
    static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException sqlite && sqlite.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
            return sqlite.getResultCode().code & 0xff;
        }
        return e.getErrorCode() > 0 ? e.getErrorCode() & 0xff : -1;
    }
}

package dev.parley.store;

import java.time.Clock;
import java.util.Set;

/**
 * Opens a store from a location string such as {@code sqlite:./parley-data/parley.db}. Each store
 * module registers one in {@code META-INF/services}, so the CLI and the server can open any store
 * on their class path by name ({@link SessionStores#open}) without depending on it at compile time.
 */
public interface SessionStoreProvider {

    /** The schemes this provider opens, e.g. {@code "sqlite"} or {@code "postgres", "postgresql"}. */
    Set<String> schemes();

    /**
     * Opens the store at {@code location}: the whole string, scheme included. Bad locations fail with
     * an {@link dev.parley.InvalidInputException} naming what is wrong.
     */
    SessionStore open(String location, Clock clock);

    /** One line of help shown when a location cannot be opened, e.g. {@code "sqlite:PATH  an SQLite file"}. */
    String usage();
}

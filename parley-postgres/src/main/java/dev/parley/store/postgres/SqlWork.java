package dev.parley.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done over one connection, inside or outside a transaction. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}

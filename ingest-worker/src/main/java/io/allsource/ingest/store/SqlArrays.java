package io.allsource.ingest.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Array parameters in the form pgjdbc sends in binary. The driver picks an array's encoder by its Java element type:
 * {@code String[]} (as {@code varchar[]} or {@code text[]}), {@code Long[]}, {@code Integer[]}, {@code Boolean[]} and
 * {@code byte[][]} go in the server's binary array format, while an {@code Object[]} goes as an array literal that the
 * driver escapes element by element and the server parses back ({@code array_in}): on the write path that was the
 * largest share of the worker's allocation per command. Elements may be null.
 *
 * <p>pgjdbc has no binary encoder for {@code uuid[]}, so {@link #uuids} sends the ids' text as {@code varchar[]}; the
 * statement casts them ({@code ?::varchar[]::uuid[]}, or {@code ::uuid} on the unnested column).
 */
final class SqlArrays {

    private SqlArrays() {
    }

    static <T> Array varchars(Connection connection, Collection<T> items, Function<? super T, String> column)
            throws SQLException {
        return connection.createArrayOf("varchar", values(items, String[]::new, column));
    }

    static <T> Array texts(Connection connection, Collection<T> items, Function<? super T, String> column)
            throws SQLException {
        return connection.createArrayOf("text", values(items, String[]::new, column));
    }

    static <T> Array bigints(Connection connection, Collection<T> items, Function<? super T, Long> column)
            throws SQLException {
        return connection.createArrayOf("int8", values(items, Long[]::new, column));
    }

    static <T> Array integers(Connection connection, Collection<T> items, Function<? super T, Integer> column)
            throws SQLException {
        return connection.createArrayOf("int4", values(items, Integer[]::new, column));
    }

    static <T> Array booleans(Connection connection, Collection<T> items, Function<? super T, Boolean> column)
            throws SQLException {
        return connection.createArrayOf("bool", values(items, Boolean[]::new, column));
    }

    static <T> Array byteas(Connection connection, Collection<T> items, Function<? super T, byte[]> column)
            throws SQLException {
        return connection.createArrayOf("bytea", values(items, byte[][]::new, column));
    }

    /** The ids' text as a {@code varchar[]}, which the statement casts to {@code uuid}. */
    static <T> Array uuids(Connection connection, Collection<T> items, Function<? super T, UUID> column)
            throws SQLException {
        return varchars(connection, items, item -> {
            UUID id = column.apply(item);
            return id == null ? null : id.toString();
        });
    }

    private static <T, V> V[] values(Collection<T> items, IntFunction<V[]> arrays, Function<? super T, V> column) {
        V[] values = arrays.apply(items.size());
        int i = 0;
        for (T item : items) {
            values[i++] = column.apply(item);
        }
        return values;
    }
}

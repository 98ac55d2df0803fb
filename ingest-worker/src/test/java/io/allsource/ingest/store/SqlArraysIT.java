package io.allsource.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.jdbc.PgArray;

/**
 * The write path's array parameters go to the server in binary, and every value comes back as it was sent: values
 * the text form would have had to quote or escape, nulls among them, and the extremes of each number type.
 */
@ExtendWith(PostgresExtension.class)
class SqlArraysIT {

    private static final List<String> AWKWARD_STRINGS = Arrays.asList("plain", "", "NULL", null, "with \"quotes\"",
            "back\\slash", "{braces},commas", "  spaces  ", "émoji 😀 and ümlauts", "line\nbreak\ttab");

    private final TestDatabase database;

    SqlArraysIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void sendsEveryKindOfArrayInTheBinaryFormat() throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            List<Array> arrays = List.of(
                    SqlArrays.varchars(connection, AWKWARD_STRINGS, Function.identity()),
                    SqlArrays.texts(connection, AWKWARD_STRINGS, Function.identity()),
                    SqlArrays.bigints(connection, Arrays.asList(1L, null), Function.identity()),
                    SqlArrays.integers(connection, Arrays.asList(1, null), Function.identity()),
                    SqlArrays.booleans(connection, Arrays.asList(true, null), Function.identity()),
                    SqlArrays.byteas(connection, Arrays.asList(new byte[] {1}, null), Function.identity()),
                    SqlArrays.uuids(connection, Arrays.asList(UUID.randomUUID(), null), Function.identity()));

            assertThat(arrays).allSatisfy(array -> assertThat(((PgArray) array).toBytes())
                    .as("the binary form pgjdbc sends, absent when it falls back to the text form").isNotNull());
        }
    }

    @Test
    void roundTripsStringsTheTextFormWouldHaveToQuoteOrEscape() throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(unnest(connection, "varchar",
                    SqlArrays.varchars(connection, AWKWARD_STRINGS, Function.identity()), String.class))
                    .isEqualTo(AWKWARD_STRINGS);
            assertThat(unnest(connection, "text", SqlArrays.texts(connection, AWKWARD_STRINGS, Function.identity()),
                    String.class)).isEqualTo(AWKWARD_STRINGS);
        }
    }

    @Test
    void roundTripsNumbersBooleansBytesAndIdsWithNulls() throws SQLException {
        List<Long> longs = Arrays.asList(Long.MIN_VALUE, -1L, 0L, null, Long.MAX_VALUE);
        List<Integer> ints = Arrays.asList(Integer.MIN_VALUE, null, 0, Integer.MAX_VALUE);
        List<Boolean> booleans = Arrays.asList(true, null, false);
        List<UUID> ids = Arrays.asList(UUID.randomUUID(), null, new UUID(0, 0));
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(unnest(connection, "bigint", SqlArrays.bigints(connection, longs, Function.identity()),
                    Long.class)).isEqualTo(longs);
            assertThat(unnest(connection, "int", SqlArrays.integers(connection, ints, Function.identity()),
                    Integer.class)).isEqualTo(ints);
            assertThat(unnest(connection, "boolean", SqlArrays.booleans(connection, booleans, Function.identity()),
                    Boolean.class)).isEqualTo(booleans);
            assertThat(unnest(connection, "varchar[]::uuid", SqlArrays.uuids(connection, ids, Function.identity()),
                    UUID.class)).isEqualTo(ids);
            List<byte[]> bytes = unnest(connection, "bytea", SqlArrays.byteas(connection,
                    Arrays.asList(new byte[] {0, -1, 92, 34}, null, new byte[0]), Function.identity()), byte[].class);
            assertThat(bytes).hasSize(3);
            assertThat(bytes.get(0)).containsExactly(0, -1, 92, 34);
            assertThat(bytes.get(1)).isNull();
            assertThat(bytes.get(2)).isEmpty();
        }
    }

    /** The array's elements as the server sees them, in order, after a cast of the parameter to {@code type[]}. */
    private static <T> List<T> unnest(Connection connection, String type, Array array, Class<T> elementType)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT v FROM unnest(?::" + type + "[]) WITH ORDINALITY AS t(v, i) ORDER BY i")) {
            select.setArray(1, array);
            List<T> values = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getObject(1, elementType));
                }
            }
            return values;
        }
    }
}

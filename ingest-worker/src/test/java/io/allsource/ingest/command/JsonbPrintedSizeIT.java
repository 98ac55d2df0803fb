package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The size the check step expects a payload to have once PostgreSQL prints it (what the worker publishes) is the size
 * PostgreSQL's own {@code jsonb_out} gives, so that the bound on events records holds for what is really sent.
 */
@ExtendWith(PostgresExtension.class)
class JsonbPrintedSizeIT {

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "42", "-0", "-0.0", "0.000", "-12.50", "\"text\"", "null", "true", "false",
        "{\"a\":{\"b\":[1,2,{\"c\":null}]}}", "  [ 1 ,\n 2 ]  ", "1.5e10", "1E+2", "1.0E+2", "1.5e-3", "-1.5E-3",
        "123.4e-10", "0.000001e5", "1e131071", "1e-16383", "[1e1000, 2.50e1, -7e-2]", "\"\\u00e9\\u6d41\"",
        "\"\u00e9\u6d41\"", "\"\\ud83d\\ude00\"", "\"tab\\there\\n\\\"quoted\\\" \\\\ \\/ \\u0001\"",
        "{\"b\": 1, \"a\": [true, false, null], \"\": \"\"}", "[[[[]]]]", "[{}, {}, []]"
    })
    void predictsTheBytesPostgresqlPrints(String payload, TestDatabase database) throws SQLException {
        JsonPayloads.Checked checked = JsonPayloads.check("payload", payload);

        assertThat(checked.violation()).isEmpty();
        assertThat(checked.printedBytes()).as("printed size of %s", payload).isEqualTo(printedBytes(database, payload));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"dup\": 1, \"dup\": 2}", "{\"k\": \"long value\", \"k\": 1}"})
    void neverPredictsLessThanPostgresqlPrintsWhenKeysRepeat(String payload, TestDatabase database)
            throws SQLException {
        assertThat(JsonPayloads.check("payload", payload).printedBytes())
                .isGreaterThanOrEqualTo(printedBytes(database, payload));
    }

    private static long printedBytes(TestDatabase database, String payload) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT octet_length(?::jsonb::text)")) {
            statement.setString(1, payload);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}

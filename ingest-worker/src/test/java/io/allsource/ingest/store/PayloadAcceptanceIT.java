package io.allsource.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The validator must accept exactly the payloads PostgreSQL's JSONB accepts: one it accepts and the database refuses
 * would fail the whole batch transaction, again on every retry, and stall the partition.
 */
@ExtendWith(PostgresExtension.class)
class PayloadAcceptanceIT {

    private static final CommandValidator VALIDATOR = new CommandValidator(CommandLimits.DEFAULT);

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "42", "-0.0", "\"text\"", "null", "true", "{\"a\": {\"b\": [1, 2, {\"c\": null}]}}",
        "123456789012345678901234567890123456789", "1.5e10", "1e1000", "1e1001", "1e-1000", "1e-1001",
        "1e131071", "1e131072", "1e-16383", "1e-16384", "1e-16400", "123.4e-16380", "0.000001e5",
        "\"\\u0000\"", "{\"\\u0000\": 1}", "\"\\ud800\"", "\"\\udc00 x\"", "\"\\ud83d\\ude00\"", "\"\u00e9\u6d41\"",
        "\"\\\\u0000\"", "{\"a\": 1} {}", "{\"a\": 1", "", "  ", "NaN", "[1,]", "{'a': 1}", "01",
        "\"tab\there\"", "{\"dup\": 1, \"dup\": 2}"
    })
    void acceptsExactlyThePayloadsJsonbAccepts(String payload, TestDatabase database) throws SQLException {
        boolean validatorAccepts = VALIDATOR.violation(commandWith(payload)).isEmpty();

        assertThat(validatorAccepts).as("validator accepts %s", payload).isEqualTo(jsonbAccepts(database, payload));
    }

    static Stream<String> largePayloads() {
        return Stream.of("1".repeat(131_072), "1".repeat(131_073), "-" + "9".repeat(131_072),
                "[" + "1".repeat(131_073) + "]", "0." + "1".repeat(16_383), "0." + "1".repeat(16_384),
                "[".repeat(1_000) + "]".repeat(1_000), "{\"" + "k".repeat(100_000) + "\": 1}");
    }

    @ParameterizedTest
    @MethodSource("largePayloads")
    void acceptsExactlyTheLargeNumbersAndNamesJsonbAccepts(String payload, TestDatabase database) throws SQLException {
        boolean validatorAccepts = VALIDATOR.violation(commandWith(payload)).isEmpty();

        assertThat(validatorAccepts).as("validator accepts a payload of %s characters starting %s", payload.length(),
                payload.substring(0, 10)).isEqualTo(jsonbAccepts(database, payload));
    }

    @Test
    void refusesNestingDeeperThanItsOwnLimitNamingIt() {
        String deep = "[".repeat(1_001) + "]".repeat(1_001);

        assertThat(VALIDATOR.violation(commandWith(deep)))
                .hasValue("appends[0].events[0].payload nests deeper than 1000 levels, the most this pipeline accepts");
    }

    private static AppendCommand commandWith(String payload) {
        return new AppendCommand(UUID.randomUUID().toString(), "tenant", null, List.of(new StreamAppend("s",
                ExpectedVersion.any(), List.of(NewEvent.of("T", "e", payload)))), Instant.now());
    }

    private static boolean jsonbAccepts(TestDatabase database, String payload) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT ?::jsonb")) {
            statement.setString(1, payload);
            statement.executeQuery().close();
            return true;
        } catch (SQLException e) {
            if ("22P02".equals(e.getSQLState()) || "22P05".equals(e.getSQLState())
                    || "22003".equals(e.getSQLState()) || "22021".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}

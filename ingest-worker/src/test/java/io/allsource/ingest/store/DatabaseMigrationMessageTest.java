package io.allsource.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A failed migration is reported on one line, whatever shape Flyway gave its message. */
class DatabaseMigrationMessageTest {

    @Test
    void foldsFlywaysStatementFailureIntoOneLine() {
        String flyway = """
                Error while retrieving the list of applied migrations from Schema History table "public"."x"
                ----------------------------------------------------------------------------------------------
                SQL State  : 42501
                Error Code : 0
                Message    : ERROR: permission denied for table x
                """;

        assertThat(Database.oneLine(flyway)).isEqualTo("Error while retrieving the list of applied migrations from"
                + " Schema History table \"public\".\"x\"; SQL State: 42501; Error Code: 0; Message: ERROR: permission"
                + " denied for table x");
    }

    @Test
    void masksAPasswordAUrlInTheMessageCarries() {
        assertThat(Database.oneLine("Unable to obtain connection from jdbc:postgresql://db/ingest?password=hunter2\n"
                + "more")).isEqualTo("Unable to obtain connection from jdbc:postgresql://db/ingest?password=****; more");
    }
}

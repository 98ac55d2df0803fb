package io.allsource.ingest.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopStatementsTest {

    @Test
    void aStatementIsPutOnOneLineWithSingleBlanks() {
        assertThat(TopStatements.oneLine("""
                  UPDATE partition_state AS p
                     SET next_offset = t.next_offset\t
                  WHERE p.partition_id = t.partition_id
                """)).isEqualTo("UPDATE partition_state AS p SET next_offset = t.next_offset"
                + " WHERE p.partition_id = t.partition_id");
    }

    @Test
    void aLongStatementIsCutToItsFirst120CharactersEndingInDots() {
        String line = TopStatements.oneLine("SELECT " + "x, ".repeat(100) + "y FROM events");

        assertThat(line).hasSize(TopStatements.STATEMENT_LENGTH).startsWith("SELECT x, x,").endsWith("...");
    }

    @Test
    void unavailableStatisticsSayWhyAndHoldNoStatements() {
        TopStatements none = TopStatements.unavailable("the server does not load pg_stat_statements");

        assertThat(none.available()).isFalse();
        assertThat(none.statements()).isEmpty();
        assertThat(TopStatements.of(List.of()).note()).isEmpty();
    }
}

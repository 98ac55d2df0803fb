package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedVersionTest {

    /** The current versions every rule is checked at: no stream, a stream of one event, a longer stream. */
    private static final List<Long> CURRENT_VERSIONS = List.of(0L, 1L, 5L);

    @Test
    void anyAdmitsEveryCurrentVersion() {
        assertThat(admittedAt(ExpectedVersion.any())).containsExactly(true, true, true);
    }

    @Test
    void noStreamAdmitsOnlyAStreamThatDoesNotExist() {
        assertThat(admittedAt(ExpectedVersion.noStream())).containsExactly(true, false, false);
    }

    @Test
    void streamExistsAdmitsOnlyAStreamHoldingEvents() {
        assertThat(admittedAt(ExpectedVersion.streamExists())).containsExactly(false, true, true);
    }

    @Test
    void exactZeroAdmitsOnlyAStreamThatDoesNotExist() {
        assertThat(admittedAt(ExpectedVersion.exact(0))).containsExactly(true, false, false);
    }

    @Test
    void exactOneAdmitsOnlyVersionOne() {
        assertThat(admittedAt(ExpectedVersion.exact(1))).containsExactly(false, true, false);
    }

    @Test
    void exactFiveAdmitsOnlyVersionFive() {
        assertThat(admittedAt(ExpectedVersion.exact(5))).containsExactly(false, false, true);
    }

    @Test
    void exactRejectsTheVersionsAroundItsOwn() {
        ExpectedVersion exact = ExpectedVersion.exact(5);

        assertThat(exact.admits(4)).isFalse();
        assertThat(exact.admits(6)).isFalse();
    }

    @Test
    void kindsCarryTheContractNames() {
        assertThat(List.of(ExpectedVersion.any(), ExpectedVersion.noStream(), ExpectedVersion.streamExists(),
                ExpectedVersion.exact(3)))
                .extracting(ExpectedVersion::kind)
                .containsExactly(ExpectedVersion.Kind.ANY, ExpectedVersion.Kind.NO_STREAM,
                        ExpectedVersion.Kind.STREAM_EXISTS, ExpectedVersion.Kind.EXACT);
    }

    @Test
    void printsAsTheContractNameWithTheExactVersion() {
        assertThat(ExpectedVersion.noStream()).hasToString("NO_STREAM");
        assertThat(ExpectedVersion.exact(7)).hasToString("EXACT 7");
    }

    @Test
    void exactVersionsAreEqualByValue() {
        assertThat(ExpectedVersion.exact(3)).isEqualTo(ExpectedVersion.exact(3)).isNotEqualTo(ExpectedVersion.exact(4));
    }

    private static List<Boolean> admittedAt(ExpectedVersion expected) {
        return CURRENT_VERSIONS.stream().map(expected::admits).toList();
    }
}

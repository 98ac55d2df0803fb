package io.allsource.ingest.client.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import org.junit.jupiter.api.Test;

class VersionExpectationTest {

    @Test
    void mapsEveryExpectationToTheContractsRecord() {
        assertThat(VersionExpectation.any().toExpectedVersion())
                .isEqualTo(new ExpectedVersion(ExpectedVersionKind.ANY, 0L));
        assertThat(VersionExpectation.noStream().toExpectedVersion())
                .isEqualTo(new ExpectedVersion(ExpectedVersionKind.NO_STREAM, 0L));
        assertThat(VersionExpectation.streamExists().toExpectedVersion())
                .isEqualTo(new ExpectedVersion(ExpectedVersionKind.STREAM_EXISTS, 0L));
        assertThat(VersionExpectation.exact(17).toExpectedVersion())
                .isEqualTo(new ExpectedVersion(ExpectedVersionKind.EXACT, 17L));
    }

    @Test
    void acceptsExactZeroForAStreamThatDoesNotExist() {
        assertThat(VersionExpectation.exact(0)).isEqualTo(new VersionExpectation.Exact(0));
    }

    @Test
    void refusesANegativeExactVersion() {
        assertThatThrownBy(() -> VersionExpectation.exact(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected_version EXACT must be 0 or more, got -5");
    }

    @Test
    void comparesByValue() {
        assertThat(VersionExpectation.exact(3)).isEqualTo(VersionExpectation.exact(3))
                .isNotEqualTo(VersionExpectation.exact(4));
        assertThat(VersionExpectation.noStream()).isEqualTo(new VersionExpectation.NoStream())
                .isNotEqualTo(VersionExpectation.streamExists());
    }
}

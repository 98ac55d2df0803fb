package io.allsource.ingest.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hostile kinds are named on the command line by letter or label, and the mix checks its share. */
class HostileKindTest {

    @Test
    void parsesLettersAndLabelsInAnyCaseWithSpaces() {
        assertThat(HostileKind.parse("a, B,tombstone , reply-to-missing-topic")).containsExactlyInAnyOrder(
                HostileKind.NOT_WIRE_FORMAT, HostileKind.TOMBSTONE, HostileKind.REPLY_TO_MISSING_TOPIC);
    }

    @Test
    void allNamesEveryKind() {
        assertThat(HostileKind.parse("all")).isEqualTo(EnumSet.allOf(HostileKind.class));
    }

    @Test
    void refusesAnUnknownKindNamingItAndTheKindsThereAre() {
        assertThatThrownBy(() -> HostileKind.parse("a,z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'z' is no hostile kind; the kinds are all, a (not-wire-format),"
                        + " b (tombstone),")
                .hasMessageEndingWith("i (nul-in-payload)");
    }

    @Test
    void lettersRunFromAToIInDeclaredOrder() {
        StringBuilder letters = new StringBuilder();
        for (HostileKind kind : HostileKind.values()) {
            letters.append(kind.letter());
        }
        assertThat(letters).hasToString("abcdefghi");
    }

    @Test
    void onlyValuesThatAreNotTheWireFormatAndTombstonesAreUndecodable() {
        assertThat(EnumSet.allOf(HostileKind.class)).filteredOn(HostileKind::undecodable)
                .containsExactly(HostileKind.NOT_WIRE_FORMAT, HostileKind.TOMBSTONE);
    }

    @Test
    void theMixDrawsKindsInDeclaredOrderAndRefusesAShareWithoutKinds() {
        HostileMix mix = new HostileMix(0.1, Set.of(HostileKind.NUL_IN_PAYLOAD, HostileKind.TOMBSTONE));

        assertThat(mix.ordered()).containsExactly(HostileKind.TOMBSTONE, HostileKind.NUL_IN_PAYLOAD);
        assertThatThrownBy(() -> new HostileMix(0.1, Set.of()))
                .hasMessage("a hostile rate above 0 needs at least one hostile kind");
        assertThatThrownBy(() -> new HostileMix(0.6, Set.of(HostileKind.TOMBSTONE)))
                .hasMessage("the hostile rate must be 0 to 0.5, not 0.6");
        assertThat(HostileMix.NONE.ordered()).isEmpty();
    }
}

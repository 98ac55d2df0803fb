package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    /** The RFC's DNS namespace id, used here as a command id. */
    private static final UUID DNS_NAMESPACE = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    private static final UUID COMMAND_ID = UUID.fromString("0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10");

    @Test
    void derivesTheSameIdForTheSameCommandAndIndex() {
        assertThat(EventIds.derive(COMMAND_ID, 3)).isEqualTo(EventIds.derive(COMMAND_ID, 3));
    }

    @Test
    void derivesADifferentIdForEveryIndex() {
        Set<UUID> ids = new HashSet<>();
        IntStream.range(0, 1_000).forEach(index -> ids.add(EventIds.derive(COMMAND_ID, index)));

        assertThat(ids).hasSize(1_000);
    }

    @Test
    void derivesDifferentIdsForDifferentCommands() {
        assertThat(EventIds.derive(COMMAND_ID, 0)).isNotEqualTo(EventIds.derive(DNS_NAMESPACE, 0));
    }

    @Test
    void derivedIdsAreVersionFiveWithTheIetfVariant() {
        for (int index : new int[] {0, 1, 9, 10, 999, Integer.MAX_VALUE}) {
            UUID id = EventIds.derive(COMMAND_ID, index);

            assertThat(id.version()).as("version of index %d", index).isEqualTo(5);
            assertThat(id.variant()).as("variant of index %d", index).isEqualTo(2);
        }
    }

    /** Expected values computed with {@code python3 -c "import uuid; print(uuid.uuid5(uuid.UUID(ns), name))"}. */
    @Test
    void matchesPythonsUuid5WithTheCommandIdAsNamespaceAndTheDecimalIndexAsName() {
        assertThat(EventIds.derive(DNS_NAMESPACE, 0)).hasToString("6af613b6-569c-5c22-9c37-2ed93f31d3af");
        assertThat(EventIds.derive(DNS_NAMESPACE, 1)).hasToString("b04965e6-a9bb-591f-8f8a-1adcb2c8dc39");
        assertThat(EventIds.derive(DNS_NAMESPACE, 12)).hasToString("52524d6e-10dc-5261-aa36-8b2efcbaa5f0");
        assertThat(EventIds.derive(COMMAND_ID, 0)).hasToString("fa2521cf-b964-58bd-b882-0bce0ba87d27");
        assertThat(EventIds.derive(COMMAND_ID, 1)).hasToString("90331123-a9a1-5b34-a0f2-0d7794054fd6");
        assertThat(EventIds.derive(COMMAND_ID, 12)).hasToString("d98ceac4-f404-5acf-954d-f9cb399d5c45");
    }

    @Test
    void acceptsCanonicalUuidsInEitherCase() {
        assertThat(EventIds.isCanonicalUuid("0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10")).isTrue();
        assertThat(EventIds.isCanonicalUuid("0F6C3E4A-8D2B-4F1E-9A7C-2B5D6E8F9A10")).isTrue();
        assertThat(EventIds.isCanonicalUuid("0f6C3e4A-8d2B-4f1E-9a7C-2b5D6e8F9a10")).isTrue();
    }

    @Test
    void rejectsTheShortFormThatUuidFromStringWouldAccept() {
        assertThat(EventIds.isCanonicalUuid("1-1-1-1-1")).isFalse();
    }

    @Test
    void rejectsAUuidWithoutDashes() {
        assertThat(EventIds.isCanonicalUuid("0f6c3e4a8d2b4f1e9a7c2b5d6e8f9a10")).isFalse();
    }

    @Test
    void rejectsDashesOutOfPlaceAndDigitsOfOtherScripts() {
        assertThat(EventIds.isCanonicalUuid("0f6c3e4a8-d2b-4f1e-9a7c-2b5d6e8f9a10")).isFalse();
        assertThat(EventIds.isCanonicalUuid("0f6c3e4a-8d2b-4f1e-9a7c2-b5d6e8f9a10")).isFalse();
        assertThat(EventIds.isCanonicalUuid("0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a1" + (char) 0x0661)).isFalse();
    }

    @Test
    void rejectsEmptyAndMissingText() {
        assertThat(EventIds.isCanonicalUuid("")).isFalse();
        assertThat(EventIds.isCanonicalUuid(null)).isFalse();
    }

    @Test
    void rejectsNonHexDigitsBracesAndSurroundingText() {
        assertThat(EventIds.isCanonicalUuid("0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a1g")).isFalse();
        assertThat(EventIds.isCanonicalUuid("{0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10}")).isFalse();
        assertThat(EventIds.isCanonicalUuid(" 0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10")).isFalse();
        assertThat(EventIds.isCanonicalUuid("0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10\n")).isFalse();
    }
}

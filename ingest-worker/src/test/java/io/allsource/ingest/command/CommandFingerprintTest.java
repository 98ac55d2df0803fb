package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The fingerprint of a command covers what it asks for and nothing a faithful retry may change. */
class CommandFingerprintTest {

    private static final String ID = "00000000-0000-4000-8000-000000000001";
    private static final Instant ISSUED = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void isStableFor64HexDigitsOfTheSameContent() {
        CommandFingerprint first = CommandFingerprint.of(command(ID, "tenant-1", null, append("s-1", event())));
        CommandFingerprint second = CommandFingerprint.of(command(ID, "tenant-1", null, append("s-1", event())));

        assertThat(first).isEqualTo(second);
        assertThat(first.hex()).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void ignoresIssuedAtWhichARetryMayStampAfresh() {
        AppendCommand original = command(ID, "tenant-1", null, append("s-1", event()));
        AppendCommand restamped = new AppendCommand(ID, "tenant-1", null, original.appends(), ISSUED.plusSeconds(60));

        assertThat(CommandFingerprint.of(restamped)).isEqualTo(CommandFingerprint.of(original));
    }

    @Test
    void ignoresTheCommandIdWhichIsTheKeyItIsStoredUnder() {
        AppendCommand other = command("00000000-0000-4000-8000-000000000002", "tenant-1", null,
                append("s-1", event()));

        assertThat(CommandFingerprint.of(other))
                .isEqualTo(CommandFingerprint.of(command(ID, "tenant-1", null, append("s-1", event()))));
    }

    @Test
    void treatsAnExplicitPartitionKeyEqualToTheDefaultAsTheSamePlacement() {
        assertThat(CommandFingerprint.of(command(ID, "tenant-1", "s-1", append("s-1", event()))))
                .isEqualTo(CommandFingerprint.of(command(ID, "tenant-1", null, append("s-1", event()))));
    }

    @Test
    void ignoresTheOrderInWhichMetadataEntriesArrive() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");

        assertThat(CommandFingerprint.of(command(ID, "t", null, append("s-1", withMetadata(ab)))))
                .isEqualTo(CommandFingerprint.of(command(ID, "t", null, append("s-1", withMetadata(ba)))));
    }

    @Test
    void changesWithEveryFieldOfTheContent() {
        AppendCommand base = command(ID, "tenant-1", null, append("s-1", event()));
        CommandFingerprint original = CommandFingerprint.of(base);
        List<UnaryOperator<AppendCommand>> changes = List.of(
                c -> command(ID, "tenant-2", null, append("s-1", event())),
                c -> command(ID, "tenant-1", "other-key", append("s-1", event())),
                c -> command(ID, "tenant-1", null, append("s-2", event())),
                c -> command(ID, "tenant-1", null, new StreamAppend("s-1", ExpectedVersion.noStream(),
                        List.of(event()))),
                c -> command(ID, "tenant-1", null, new StreamAppend("s-1", ExpectedVersion.exact(3),
                        List.of(event()))),
                c -> command(ID, "tenant-1", null, append("s-1", event(), event())),
                c -> command(ID, "tenant-1", null, append("s-1",
                        new NewEvent("00000000-0000-4000-8000-0000000000aa", "Placed", "e-1", "{}", Map.of()))),
                c -> command(ID, "tenant-1", null, append("s-1", new NewEvent(null, "Paid", "e-1", "{}", Map.of()))),
                c -> command(ID, "tenant-1", null, append("s-1", new NewEvent(null, "Placed", "e-2", "{}", Map.of()))),
                c -> command(ID, "tenant-1", null, append("s-1", new NewEvent(null, "Placed", "e-1", "{ }", Map.of()))),
                c -> command(ID, "tenant-1", null, append("s-1", withMetadata(Map.of("k", "v")))),
                c -> command(ID, "tenant-1", null, append("s-1", event()), append("s-2", event())));

        assertThat(changes).allSatisfy(change ->
                assertThat(CommandFingerprint.of(change.apply(base))).isNotEqualTo(original));
    }

    @Test
    void keepsExactVersionsApart() {
        assertThat(CommandFingerprint.of(command(ID, "t", null,
                new StreamAppend("s-1", ExpectedVersion.exact(1), List.of(event())))))
                .isNotEqualTo(CommandFingerprint.of(command(ID, "t", null,
                        new StreamAppend("s-1", ExpectedVersion.exact(2), List.of(event())))));
    }

    @Test
    void keepsFieldBoundariesApart() {
        assertThat(CommandFingerprint.of(command(ID, "ab", "c", append("c", event()))))
                .isNotEqualTo(CommandFingerprint.of(command(ID, "a", "bc", append("bc", event()))));
    }

    @Test
    void fingerprintsACommandThatBreaksTheRulesToo() {
        AppendCommand broken = new AppendCommand(ID, null, null, List.of(
                new StreamAppend(null, null, List.of(new NewEvent(null, null, null, null, null)))), null);

        assertThat(CommandFingerprint.of(broken).hex()).hasSize(64);
        assertThat(CommandFingerprint.of(new AppendCommand(ID, "t", null, List.of(), ISSUED)).hex()).hasSize(64);
    }

    @Test
    void refusesAHexStringOfAnotherLength() {
        assertThatThrownBy(() -> new CommandFingerprint("abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
    }

    private static AppendCommand command(String id, String tenant, String partitionKey, StreamAppend... appends) {
        return new AppendCommand(id, tenant, partitionKey, List.of(appends), ISSUED);
    }

    private static StreamAppend append(String streamId, NewEvent... events) {
        return new StreamAppend(streamId, ExpectedVersion.any(), List.of(events));
    }

    private static NewEvent event() {
        return new NewEvent(null, "Placed", "e-1", "{}", Map.of());
    }

    private static NewEvent withMetadata(Map<String, String> metadata) {
        return new NewEvent(null, "Placed", "e-1", "{}", metadata);
    }
}

package io.allsource.ingest.command;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A digest of what a command asks for, to tell a faithful retry of a command id from a different command sent under
 * the same id. It covers the tenant, the effective partition key and every append (stream id, expected version, and
 * each event's id as sent, type, entity id, payload text and metadata, the metadata in key order), and leaves out
 * {@code command_id} (the key it is stored under) and {@code issued_at}, which a retry may stamp afresh. Payloads are
 * compared as sent, character for character: a retry that re-serialises its JSON with other whitespace or key order
 * counts as different content, which only changes the message of the stored result it gets back.
 *
 * @param hex the SHA-256 of the canonical encoding, as 64 lowercase hex digits
 */
public record CommandFingerprint(String hex) {

    /** Bumped if the encoding below ever changes, so that old and new fingerprints never compare equal by chance. */
    private static final String ENCODING_VERSION = "append-command-v1";

    private static final Comparator<Map.Entry<String, String>> BY_KEY =
            Map.Entry.comparingByKey(Comparator.nullsFirst(Comparator.naturalOrder()));

    public CommandFingerprint {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a fingerprint has 64 hex digits, got " + hex.length());
        }
    }

    /** The fingerprint of {@code command}'s content; total, even for a command that breaks the contract's rules. */
    public static CommandFingerprint of(AppendCommand command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            text(out, ENCODING_VERSION);
            text(out, command.tenantId());
            text(out, command.effectivePartitionKey());
            out.writeInt(command.appends().size());
            for (StreamAppend append : command.appends()) {
                writeAppend(out, append);
            }
            if (command.operation() != null) {
                // only then, so that an append's fingerprint stays what it was before stream operations existed
                text(out, command.operation().kind().name());
                writeAppend(out, command.targets().get(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory failed", e);
        }
        return new CommandFingerprint(HexFormat.of().formatHex(sha256().digest(bytes.toByteArray())));
    }

    private static void writeAppend(DataOutputStream out, StreamAppend append) throws IOException {
        text(out, append.streamId());
        ExpectedVersion expected = append.expectedVersion();
        text(out, expected == null ? null : expected.kind().name());
        out.writeLong(expected instanceof ExpectedVersion.Exact exact ? exact.version() : 0);
        out.writeInt(append.events().size());
        for (NewEvent event : append.events()) {
            text(out, event.eventId());
            text(out, event.eventType());
            text(out, event.entityId());
            text(out, event.payload());
            List<Map.Entry<String, String>> metadata = new ArrayList<>(event.metadata().entrySet());
            metadata.sort(BY_KEY);
            out.writeInt(metadata.size());
            for (Map.Entry<String, String> entry : metadata) {
                text(out, entry.getKey());
                text(out, entry.getValue());
            }
        }
    }

    /** Length-prefixed UTF-8, with -1 for null, so that no two different field sequences encode alike. */
    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}

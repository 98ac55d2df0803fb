package io.allsource.ingest.client;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;

/** Results for unit tests, and a stand-in for the registry-backed deserializer (Avro single-object encoding). */
final class Results {

    static {
        // Loading the serde installs Avro's trust in the contract's classes, which decoding them here needs too.
        new AvroDeserializer<>(new SchemaRegistryClient(RegistrySettings.of("http://unused:8081")), CommandResult.class);
    }

    private Results() {
    }

    static CommandResult accepted(String commandId) {
        return new CommandResult(commandId, CommandStatus.ACCEPTED, null, null, 3, 41L, List.of(), 1L, 1L, false,
                Instant.parse("2025-01-01T00:00:00Z"), null);
    }

    static byte[] encode(CommandResult result) {
        try {
            ByteBuffer buffer = result.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Deserializer<CommandResult> deserializer() {
        return (topic, bytes) -> {
            try {
                return CommandResult.fromByteBuffer(ByteBuffer.wrap(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}

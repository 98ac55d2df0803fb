package io.allsource.ingest.serde;

import static io.allsource.ingest.serde.CommandFrames.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.registry.FakeRegistry;
import io.allsource.ingest.serde.UndecodableRecordException.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A producer's schema whose {@code ExpectedVersionKind} has a symbol the worker does not know is read record by
 * record: what uses known symbols decodes as if written with the contract's schema, what uses the new symbol is refused
 * naming the field and the symbol. A schema that differs in any other unresolvable way is refused as a whole.
 */
class AvroDeserializerEnumSymbolsTest {

    private static final int CONTRACT = 1;
    private static final int ADDED_SYMBOL = 2;
    private static final int ADDED_SYMBOL_FIRST = 3;
    private static final int ADDED_SYMBOL_AND_TENANT_AS_INT = 4;

    private static FakeRegistry registry;
    private static AvroDeserializer<AppendCommand> deserializer;

    @BeforeAll
    static void startRegistry() {
        Schema addedSymbol = CommandFrames.withKinds("ANY", "NO_STREAM", "STREAM_EXISTS", "EXACT", "AT_LEAST");
        Schema tenantAsInt = CommandFrames.withFieldType("tenant_id", "\"int\"");
        Schema addedSymbolAndTenantAsInt = new Schema.Parser().parse(tenantAsInt.toString()
                .replace("\"EXACT\"]", "\"EXACT\",\"AT_LEAST\"]"));
        registry = FakeRegistry.servingSchemas(Map.of(
                CONTRACT, AppendCommand.getClassSchema(),
                ADDED_SYMBOL, addedSymbol,
                ADDED_SYMBOL_FIRST, CommandFrames.withKinds("AT_LEAST", "ANY", "NO_STREAM", "STREAM_EXISTS", "EXACT"),
                ADDED_SYMBOL_AND_TENANT_AS_INT, addedSymbolAndTenantAsInt));
        deserializer = new AvroDeserializer<>(CommandFrames.client(registry), AppendCommand.class);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void readsRecordsThatUseOnlyKnownSymbolsAsIfWrittenWithTheContract() {
        for (int schemaId : new int[] {ADDED_SYMBOL, ADDED_SYMBOL_FIRST}) {
            CommandFrames frames = new CommandFrames(registrySchema(schemaId));
            byte[] value = frames.frame(schemaId, frames.command(text("tenant-1"), null,
                    frames.append(text("order-1"), "ANY", 0, frames.event(Map.of(text("source"), text("web")))),
                    frames.append(text("invoice-1"), "EXACT", 4, frames.event(Map.of()))));

            assertThat(deserializer.deserialize("commands", value)).as("schema %s", schemaId).isEqualTo(expected());
        }
    }

    @Test
    void readsTheSameValuesAsTheContractsOwnSchema() {
        CommandFrames frames = new CommandFrames(AppendCommand.getClassSchema());
        byte[] value = frames.frame(CONTRACT, frames.command(text("tenant-1"), null,
                frames.append(text("order-1"), "ANY", 0, frames.event(Map.of(text("source"), text("web")))),
                frames.append(text("invoice-1"), "EXACT", 4, frames.event(Map.of()))));

        assertThat(deserializer.deserialize("commands", value)).isEqualTo(expected());
    }

    @Test
    void refusesARecordThatUsesTheAddedSymbolNamingTheFieldAndTheSymbol() {
        for (int schemaId : new int[] {ADDED_SYMBOL, ADDED_SYMBOL_FIRST}) {
            CommandFrames frames = new CommandFrames(registrySchema(schemaId));
            byte[] value = frames.frame(schemaId, frames.command(text("tenant-1"), null,
                    frames.append(text("order-1"), "ANY", 0, frames.event(Map.of())),
                    frames.append(text("invoice-1"), "AT_LEAST", 3, frames.event(Map.of()))));

            assertThatThrownBy(() -> deserializer.deserialize("commands", value))
                    .isInstanceOfSatisfying(UndecodableRecordException.class,
                            e -> assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_ENUM_SYMBOL))
                    .message().contains("appends[1].expected_version.kind is AT_LEAST",
                            "ANY, NO_STREAM, STREAM_EXISTS, EXACT", "schema " + schemaId);
        }
    }

    @Test
    void stillDecodesKnownSymbolsOfTheSchemaAfterARecordWasRefused() {
        CommandFrames frames = new CommandFrames(registrySchema(ADDED_SYMBOL));
        byte[] refused = frames.frame(ADDED_SYMBOL, frames.command(text("tenant-1"), null,
                frames.append(text("order-1"), "AT_LEAST", 1, frames.event(Map.of()))));
        byte[] accepted = frames.frame(ADDED_SYMBOL, frames.command(text("tenant-1"), null,
                frames.append(text("order-1"), "STREAM_EXISTS", 0, frames.event(Map.of()))));

        assertThatThrownBy(() -> deserializer.deserialize("commands", refused))
                .isInstanceOf(UndecodableRecordException.class);
        assertThat(deserializer.deserialize("commands", accepted).getAppends().get(0).getExpectedVersion().getKind())
                .isEqualTo(ExpectedVersionKind.STREAM_EXISTS);
    }

    @Test
    void refusesEveryRecordOfASchemaWithAnotherIncompatibilityBesidesTheSymbol() {
        CommandFrames frames = new CommandFrames(registrySchema(ADDED_SYMBOL_AND_TENANT_AS_INT));
        var command = frames.command(text("tenant-1"), null,
                frames.append(text("order-1"), "ANY", 0, frames.event(Map.of())));
        command.put("tenant_id", 7);
        byte[] value = frames.frame(ADDED_SYMBOL_AND_TENANT_AS_INT, command);

        assertThatThrownBy(() -> deserializer.deserialize("commands", value))
                .isInstanceOfSatisfying(UndecodableRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.INCOMPATIBLE_SCHEMA))
                .message().contains("Schema " + ADDED_SYMBOL_AND_TENANT_AS_INT, "TYPE_MISMATCH",
                        "MISSING_ENUM_SYMBOLS");
    }

    private static Schema registrySchema(int id) {
        return CommandFrames.client(registry).schemaById(id);
    }

    private static AppendCommand expected() {
        return AppendCommand.newBuilder()
                .setCommandId("6f1c2a4e-8f4b-4c1e-9d7a-2b5e0c3d9a10")
                .setTenantId("tenant-1")
                .setPartitionKey(null)
                .setAppends(List.of(
                        new StreamAppend("order-1", new ExpectedVersion(ExpectedVersionKind.ANY, 0L),
                                List.of(event(Map.of("source", "web")))),
                        new StreamAppend("invoice-1", new ExpectedVersion(ExpectedVersionKind.EXACT, 4L),
                                List.of(event(Map.of())))))
                .setIssuedAt(Instant.ofEpochMilli(CommandFrames.ISSUED_AT))
                .build();
    }

    /** The event {@link CommandFrames#event} writes. */
    private static NewEvent event(Map<String, String> metadata) {
        return new NewEvent(null, "OrderPlaced", "order-1", "{\"total\": 12.5}", metadata);
    }
}

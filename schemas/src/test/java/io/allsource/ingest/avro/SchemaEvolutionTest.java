package io.allsource.ingest.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/** Every change of a schema must let the current reader read what the last released writer wrote (BACKWARD). */
class SchemaEvolutionTest {

    private static final Map<String, Schema> CURRENT = Map.of(
            "AppendCommand", AppendCommand.getClassSchema(),
            "CommandResult", CommandResult.getClassSchema(),
            "EventRecord", EventRecord.getClassSchema(),
            "StreamAppend", StreamAppend.getClassSchema(),
            "NewEvent", NewEvent.getClassSchema(),
            "StreamOutcome", StreamOutcome.getClassSchema(),
            "ExpectedVersion", ExpectedVersion.getClassSchema());

    @Test
    void everyCurrentSchemaReadsWhatTheLatestReleaseWrote() throws Exception {
        Map<String, Schema> released = latestRelease();

        assertThat(released.keySet()).containsExactlyInAnyOrderElementsOf(CURRENT.keySet());
        for (Map.Entry<String, Schema> entry : released.entrySet()) {
            SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility
                    .checkReaderWriterCompatibility(CURRENT.get(entry.getKey()), entry.getValue());
            assertThat(result.getType()).as("%s: %s", entry.getKey(), result.getDescription())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void theCheckCatchesAFieldAddedWithoutADefault() {
        Schema released = ExpectedVersion.getClassSchema();
        Schema broken = SchemaBuilder.record("ExpectedVersion").namespace("io.allsource.ingest.avro").fields()
                .name("kind").type(released.getField("kind").schema()).noDefault()
                .name("version").type().longType().longDefault(0)
                .name("required_without_default").type().stringType().noDefault()
                .endRecord();

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void theCheckCatchesARenamedField() {
        Schema released = ExpectedVersion.getClassSchema();
        Schema renamed = SchemaBuilder.record("ExpectedVersion").namespace("io.allsource.ingest.avro").fields()
                .name("kind_of_expectation").type(released.getField("kind").schema()).noDefault()
                .name("version").type().longType().longDefault(0)
                .endRecord();

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(renamed, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static Map<String, Schema> latestRelease() throws IOException, URISyntaxException {
        URL root = SchemaEvolutionTest.class.getResource("/released");
        Path latest;
        try (Stream<Path> releases = Files.list(Path.of(root.toURI()))) {
            latest = releases.filter(Files::isDirectory)
                    .max(Comparator.comparingInt(path -> Integer.parseInt(path.getFileName().toString())))
                    .orElseThrow();
        }
        Schema.Parser parser = new Schema.Parser();
        for (String dependency : List.of("ExpectedVersion", "NewEvent", "StreamAppend", "StreamOutcome")) {
            parse(parser, latest.resolve(dependency + ".avsc"));
        }
        Map<String, Schema> schemas = new java.util.HashMap<>();
        for (String name : CURRENT.keySet()) {
            schemas.put(name, parser.getTypes().containsKey("io.allsource.ingest.avro." + name)
                    ? parser.getTypes().get("io.allsource.ingest.avro." + name)
                    : parse(parser, latest.resolve(name + ".avsc")));
        }
        return schemas;
    }

    private static Schema parse(Schema.Parser parser, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parser.parse(in);
        }
    }
}

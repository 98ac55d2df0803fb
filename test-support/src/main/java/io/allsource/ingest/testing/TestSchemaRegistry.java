package io.allsource.ingest.testing;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.embedded.JavaRuntimes;
import io.allsource.ingest.embedded.RegistryDistribution;
import io.allsource.ingest.embedded.SchemaRegistryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A Confluent-compatible schema registry for tests: Apicurio Registry 2.x, in memory, in a child JVM, unpacked by the
 * build of the module under test (its {@code unpack-schema-registry} execution) into the folder named by the system
 * property {@value #HOME_PROPERTY}. Tests keep apart by using subjects of their own (topics named with
 * {@link KafkaBroker#uniqueName}).
 */
public final class TestSchemaRegistry implements AutoCloseable {

    /** The folder holding the unpacked registry build; the parent build sets it for Failsafe. */
    public static final String HOME_PROPERTY = "ingest.test.registry.home";

    private final SchemaRegistryProcess process;

    private TestSchemaRegistry(SchemaRegistryProcess process) {
        this.process = process;
    }

    /** Starts a registry of its own on a free loopback port, its log under {@code target/}. */
    public static TestSchemaRegistry start() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || !Files.isDirectory(Path.of(home))) {
            throw new IllegalStateException("No schema registry build at " + HOME_PROPERTY + "=" + home
                    + ": bind the unpack-schema-registry execution of maven-dependency-plugin in this module's pom");
        }
        Path log = Path.of(home).getParent().resolve("schema-registry-" + UUID.randomUUID() + ".log");
        return new TestSchemaRegistry(SchemaRegistryProcess.start(RegistryDistribution.apicurio2InMemory(Path.of(home)),
                JavaRuntimes.current(), FreePorts.find(), log, Duration.ofSeconds(90)));
    }

    /** The base URL of the Confluent API, such as {@code http://127.0.0.1:40123/apis/ccompat/v7}. */
    public String url() {
        return process.url();
    }

    @Override
    public void close() {
        process.close();
    }
}

package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest delete}, {@code ingest erase} and {@code ingest read} of deleted and erased streams as a user types
 * them, against a real worker started in this JVM (faster than {@code ingest run} in a child JVM, which
 * {@code IngestCliIT} covers): the subcommands find it through an endpoints file as {@code ingest run} writes it.
 * Results and exit statuses as {@code ingest append}'s, the reason codes of stale, foreign, repeated and unknown
 * operations, what {@code read} says, and {@code ingest verify} (also {@code --deep}) clean afterwards.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
class StreamLifecycleCliIT {

    private final KafkaBroker broker;
    private final TestDatabase database;
    private final String registryUrl;
    private final String prefix = KafkaBroker.uniqueName("lifecycle") + ".";

    @TempDir
    Path data;

    StreamLifecycleCliIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registryUrl = RegistrySettings.of(registry.url()).url();
    }

    @Test
    void deletesAndErasesStreamsPrintsTheirResultsAndReadsSayWhatHappened() throws Exception {
        Database.migrate(database.dataSource());
        try (WorkerApplication worker = WorkerApplication.start(config())) {
            new Endpoints(broker.bootstrapServers(), registryUrl, database.jdbcUrl(), prefix, null).write(data);

            assertThat(cli("append", "--stream", "gdpr-1", "--type", "SignedUp", "--payload",
                    "{\"email\": \"ada@example.com\"}").status()).isZero();
            assertThat(cli("append", "--stream", "gdpr-1", "--type", "Moved", "--payload",
                    "{\"city\": \"Leeds\"}").status()).isZero();

            CliOutput stale = cli("erase", "--stream", "gdpr-1", "--expect", "1");
            assertThat(stale.status()).as(stale.toString()).isEqualTo(2);
            assertThat(stale.out()).contains("REJECTED CONCURRENCY_CONFLICT", "stream gdpr-1: version 2");

            CliOutput erased = cli("erase", "--stream", "gdpr-1", "--expect", "2");
            assertThat(erased.status()).as(erased.toString()).isZero();
            assertThat(erased.out()).contains("ACCEPTED", "stream gdpr-1: version 2").doesNotContain("wrote");
            CliOutput appendedAfterErase = cli("append", "--stream", "gdpr-1", "--expect", "2", "--type", "Moved",
                    "--payload", "{\"city\": \"York\"}");
            assertThat(appendedAfterErase.status()).as("appends go on after an erase").isZero();

            CliOutput readErased = cli("read", "--stream", "gdpr-1");
            assertThat(readErased.status()).as(readErased.toString()).isZero();
            assertThat(readErased.err().strip()).isEqualTo("stream 'gdpr-1' is at version 3; versions 1 to 2 are"
                    + " erased");
            List<String> lines = readErased.out().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.subList(0, 2)).allSatisfy(line -> assertThat(line)
                    .contains("\"entity_id\": \"erased\"", "\"metadata\": {}", "\"erased\": true")
                    .doesNotContain("ada@example.com", "Leeds"));
            assertThat(lines.get(2)).contains("York", "\"erased\": false");

            assertThat(cli("append", "--stream", "acct-9", "--tenant", "tenant-a", "--partition-key", "accounts",
                    "--type", "Opened", "--payload", "{}").status()).isZero();
            CliOutput foreign = cli("delete", "--stream", "acct-9", "--expect", "1", "--tenant", "tenant-b",
                    "--partition-key", "accounts");
            assertThat(foreign.status()).as(foreign.toString()).isEqualTo(2);
            assertThat(foreign.out()).contains("REJECTED TENANT_MISMATCH");
            CliOutput deleted = cli("delete", "--stream", "acct-9", "--expect", "exists", "--tenant", "tenant-a",
                    "--partition-key", "accounts");
            assertThat(deleted.status()).as(deleted.toString()).isZero();
            assertThat(deleted.out()).contains("ACCEPTED", "stream acct-9: version 1");

            CliOutput appendToDeleted = cli("append", "--stream", "acct-9", "--tenant", "tenant-a",
                    "--partition-key", "accounts", "--type", "Reopened", "--payload", "{}");
            assertThat(appendToDeleted.status()).isEqualTo(2);
            assertThat(appendToDeleted.out()).contains("REJECTED STREAM_DELETED", "'acct-9' was deleted at version 1");
            CliOutput deletedAgain = cli("delete", "--stream", "acct-9", "--expect", "any", "--tenant", "tenant-a",
                    "--partition-key", "accounts");
            assertThat(deletedAgain.status()).isEqualTo(2);
            assertThat(deletedAgain.out()).contains("REJECTED STREAM_DELETED");
            CliOutput unknown = cli("erase", "--stream", "never-written", "--expect", "any");
            assertThat(unknown.status()).isEqualTo(2);
            assertThat(unknown.out()).contains("REJECTED STREAM_NOT_FOUND");

            CliOutput readDeleted = cli("read", "--stream", "acct-9");
            assertThat(readDeleted.status()).isZero();
            assertThat(readDeleted.err()).startsWith("stream 'acct-9' was deleted at version 1");
            assertThat(readDeleted.out().lines().toList()).singleElement().asString()
                    .contains("\"erased\": true", "\"event_type\": \"Opened\"");
            CliOutput readPlain = cli("read", "--stream", "never-written");
            assertThat(readPlain.err()).as("nothing to say of a stream without a status").isEmpty();

            CliOutput verify = cli("verify");
            assertThat(verify.status()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains("All invariants hold.", "events of erased versions carry the"
                    + " redaction marker", "deleted streams: no event above deleted_at_version");
            CliOutput deep = cli("verify", "--deep", "--grace-seconds", "3");
            assertThat(deep.status()).as(deep.toString()).isZero();
            assertThat(deep.out()).contains("All invariants hold.", "events topic tombstones keyed by a stream id");
        }
    }

    private CliOutput cli(String... arguments) {
        String[] line = new String[arguments.length + 2];
        System.arraycopy(arguments, 0, line, 0, arguments.length);
        line[arguments.length] = "--data-dir";
        line[arguments.length + 1] = data.toString();
        return ingest(line);
    }

    private IngestConfig config() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix(prefix);
        Map<String, String> flags = new HashMap<>();
        flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
        flags.put(ConfigKeys.DB_URL.name(), database.jdbcUrl());
        flags.put(ConfigKeys.REGISTRY_URL.name(), registryUrl);
        flags.put(ConfigKeys.GROUP_ID.name(), prefix + "group");
        flags.put(ConfigKeys.CREATE_TOPICS.name(), "true");
        flags.put(ConfigKeys.AUTO_REGISTER.name(), "true");
        flags.put(ConfigKeys.METRICS_PORT.name(), Integer.toString(port));
        flags.put(ConfigKeys.METRICS_HOST.name(), "127.0.0.1");
        flags.put(ConfigKeys.TOPIC_COMMANDS.name(), topics.commands());
        flags.put(ConfigKeys.TOPIC_RESULTS.name(), topics.results());
        flags.put(ConfigKeys.TOPIC_EVENTS.name(), topics.events());
        flags.put(ConfigKeys.TOPIC_DEAD_LETTERS.name(), topics.deadLetters());
        return IngestConfig.load(flags, Map.of(), null, List.of());
    }
}

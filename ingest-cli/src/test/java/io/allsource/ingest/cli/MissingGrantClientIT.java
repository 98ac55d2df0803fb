package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.client.BrokerRefusedException;
import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.ResultListenerFailedException;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.testing.BrokerDenial;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's principal missing one grant: WRITE on the commands topic, or READ on the results topic (the client
 * reads it without a group). {@code IngestClient.append} fails with one line naming the operation and the topic, at
 * once rather than after its 60 s timeout; {@code ingest append} prints that line as {@code error: ...} and exits 1 (as
 * a process for the refused WRITE). No worker runs: neither refusal needs one. One broker with Kafka's standard
 * authorizer for the class.
 */
@ExtendWith(SchemaRegistryExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MissingGrantClientIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration AT_ONCE = Duration.ofSeconds(15);

    private final KafkaBroker broker = KafkaBroker.start(BrokerDenial.AUTHORIZER_CONFIG);
    private final TestSchemaRegistry registry;
    private final String prefix = KafkaBroker.uniqueName("client") + ".";
    private final IngestTopics topics = IngestTopics.DEFAULT.withPrefix(prefix);

    @TempDir
    Path data;

    MissingGrantClientIT(TestSchemaRegistry registry) {
        this.registry = registry;
        for (String topic : topics.all()) {
            broker.createTopic(topic, 32);
        }
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void appendFailsAtOnceNamingWriteOnTheCommandsTopic() throws Exception {
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.commands(), AclOperation.WRITE);
                IngestClient client = client()) {

            CompletableFuture<CommandResult> result = client.append(command());

            assertThat(result).failsWithin(AT_ONCE).withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(BrokerRefusedException.class)
                    .withMessage(writeRefusal())
                    .withCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void appendFailsAtOnceNamingReadOnTheResultsTopic() throws Exception {
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.results(), AclOperation.READ);
                IngestClient client = client()) {

            CompletableFuture<CommandResult> result = client.append(command());

            assertThat(result).failsWithin(AT_ONCE).withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(ResultListenerFailedException.class)
                    .withMessageEndingWith("cannot arrive: " + readRefusal())
                    .withCauseInstanceOf(BrokerRefusedException.class);
        }
    }

    @Test
    void ingestAppendExitsWithStatusOneNamingWriteOnTheCommandsTopic() throws Exception {
        writeEndpoints();
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.commands(), AclOperation.WRITE);
                IngestRunProcess append = IngestRunProcess.ingest(List.of("append", "--data-dir", data.toString(),
                        "--timeout-seconds", Long.toString(TIMEOUT.toSeconds()), "--stream", "refused-append",
                        "--type", "Refused", "--payload", "{}"), data.resolve("append.log"))) {

            int status = append.awaitExit(TIMEOUT.dividedBy(2));

            assertThat(status).as(append.output()).isEqualTo(1);
            assertThat(append.output().lines().filter(line -> line.startsWith("error: "))).as(append.output())
                    .containsExactly("error: " + writeRefusal());
        }
    }

    @Test
    void ingestAppendExitsWithStatusOneNamingReadOnTheResultsTopic() {
        writeEndpoints();
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.results(),
                AclOperation.READ)) {
            long started = System.nanoTime();

            CliOutput refused = ingest("append", "--data-dir", data.toString(), "--timeout-seconds",
                    Long.toString(TIMEOUT.toSeconds()), "--stream", "unread-append", "--type", "Refused", "--payload",
                    "{}");

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(AT_ONCE);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err().lines().filter(line -> line.startsWith("error: "))).as(refused.toString())
                    .singleElement().asString().startsWith("error: Ingest client stopped reading results")
                    .endsWith("cannot arrive: " + readRefusal());
        }
    }

    private String writeRefusal() {
        return "the broker refused WRITE on topic '" + topics.commands() + "' (sending commands)";
    }

    private String readRefusal() {
        return "the broker refused READ on topic '" + topics.results() + "' (reading results)";
    }

    private IngestClient client() {
        return new IngestClient(ClientSettings.of(Map.of("bootstrap.servers", broker.bootstrapServers()),
                RegistrySettings.of(registry.url())).withTopics(topics).withTimeout(TIMEOUT)
                .withAutoRegisterSchemas(true));
    }

    /** What {@code ingest run} would have written: the servers and the topics' prefix, for {@code ingest append}. */
    private void writeEndpoints() {
        new Endpoints(broker.bootstrapServers(), registry.url(), "jdbc:postgresql://unused/none", prefix, null)
                .write(data);
    }

    private static io.allsource.ingest.avro.AppendCommand command() {
        return Command.of("t").append(Append.to("refused-" + System.nanoTime()).event("Refused", "e", "{}")).build();
    }
}

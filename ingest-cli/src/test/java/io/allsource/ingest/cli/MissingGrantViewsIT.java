package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.testing.BrokerDenial;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The views' principal missing READ on the events topic, or on the views' group (their application id): the views
 * start (the events topic can be described), then Kafka Streams is refused the fetch or the join, and {@code ingest
 * views} stops with exit status 1 and one line naming the operation and the resource, instead of running on with
 * {@code /health/ready} answering 503. One broker with Kafka's standard authorizer for the class; the refused topic
 * as a process, the refused group in this JVM.
 */
@ExtendWith(SchemaRegistryExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MissingGrantViewsIT {

    private static final Duration STOP_WAIT = Duration.ofSeconds(90);

    private final KafkaBroker broker = KafkaBroker.start(BrokerDenial.AUTHORIZER_CONFIG);
    private final TestSchemaRegistry registry;
    private final String prefix = KafkaBroker.uniqueName("views") + ".";
    private final String events = prefix + "ingest.events";

    MissingGrantViewsIT(TestSchemaRegistry registry) {
        this.registry = registry;
        broker.createTopic(events, 4);
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void viewsExitWithStatusOneNamingReadOnTheEventsTopic(@TempDir Path data) throws Exception {
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, events, AclOperation.READ);
                IngestRunProcess views = IngestRunProcess.ingest(arguments(data, prefix + "topic-reader"),
                        data.resolve("views.log"))) {

            int status = views.awaitExit(STOP_WAIT);

            assertThat(status).as(views.output()).isEqualTo(1);
            assertThat(views.output()).as("they had started").contains("AllSource Ingest views are running");
            assertThat(views.output().lines().filter(line -> line.startsWith("error: "))).as(views.output())
                    .containsExactly("error: the views stopped: the broker refused READ on topic '" + events
                            + "' (reading the events topic)");
        }
    }

    @Test
    void viewsStopWithStatusOneNamingReadOnTheirGroup(@TempDir Path data) {
        String applicationId = prefix + "group-reader";
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.GROUP, applicationId, AclOperation.READ)) {

            CliOutput stopped = ingest(arguments(data, applicationId).toArray(String[]::new));

            assertThat(stopped.status()).as(stopped.toString()).isEqualTo(1);
            assertThat(stopped.err().lines()).as(stopped.toString()).containsExactly("error: the views stopped: the"
                    + " broker refused READ on group '" + applicationId + "' (reading the events topic in the"
                    + " views' group)");
        }
    }

    private List<String> arguments(Path data, String applicationId) {
        return List.of("views", "--data-dir", data.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--registry-url", registry.url(), "--topic-events", events, "--topic-alerts", applicationId
                        + ".alerts", "--create-topics", "true", "--views-application-id", applicationId,
                "--views-state-dir", data.resolve("state").toString(), "--views-http-port", "0");
    }
}

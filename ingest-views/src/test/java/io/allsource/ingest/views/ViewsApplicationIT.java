package io.allsource.ingest.views;

import static io.allsource.ingest.views.ViewsFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.TopicCreation;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.views.query.ViewsHttpClient;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.StreamSummary;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Starting, refusing to start, closing and restarting one instance of the views. */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
class ViewsApplicationIT {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final KafkaBroker broker;
    private final TestSchemaRegistry registry;

    ViewsApplicationIT(KafkaBroker broker, TestSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @Test
    void refusesToStartWithoutTheEventsTopicNamingIt(@TempDir Path state) {
        ViewsTopics topics = ViewsTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("missing") + ".");

        assertThatThrownBy(() -> ViewsApplication.start(settings(topics, state)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(topics.events()).hasMessageContaining("topic-events");
    }

    @Test
    void refusesToStartWithoutTheAlertsTopicUnlessAllowedToCreateIt(@TempDir Path state) {
        ViewsTopics topics = freshTopics("alerts");

        assertThatThrownBy(() -> ViewsApplication.start(settings(topics, state)
                .withAlertsTopic(TopicCreation.REQUIRE_EXISTING, (short) -1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(topics.alerts()).hasMessageContaining("create-topics=true");
    }

    @Test
    void refusesToStartWhenTheRegistryDoesNotAnswer(@TempDir Path state) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ViewsSettings settings = settings(freshTopics("registry"), state);
        ViewsSettings unreachable = new ViewsSettings(settings.applicationId(), settings.topics(), settings.kafka(),
                RegistrySettings.of("http://127.0.0.1:" + closedPort).withRetries(1, Duration.ZERO,
                        Duration.ofSeconds(2)),
                settings.stateDirectory(), settings.httpHost(), settings.httpPort(), settings.advertisedHost(),
                settings.streamThreads(), settings.commitInterval(), settings.cacheMaxBytes(),
                settings.windowRetention(), settings.alertsTopicCreation(), settings.topicReplicationFactor());

        assertThatThrownBy(() -> ViewsApplication.start(unreachable)).isInstanceOf(ViewsException.class)
                .hasMessageContaining("registry-url").hasMessageContaining("not reachable");
    }

    @Test
    void resumesFromItsStateAfterARestartAndStillCountsEachEventOnce(@TempDir Path state) {
        ViewsTopics topics = freshTopics("restart");
        ViewsSettings settings = settings(topics, state);
        List<EventRecord> before = List.of(event("r", 1, 3, 1, "acme", "A", T0), event("r", 2, 3, 2, "acme", "B", T0));
        try (ViewsApplication views = ViewsApplication.start(settings)) {
            ViewsFixtures.publish(broker, registry, topics.events(), before);
            awaitStream(views, new StreamSummary("r", 3, "acme", 2, 2, "B", T0, T0));
        }
        ViewsFixtures.publish(broker, registry, topics.events(), List.of(before.get(1), before.get(0),
                event("r", 3, 3, 3, "acme", "C", T0.plusSeconds(1))));
        try (ViewsApplication restarted = ViewsApplication.start(settings)) {
            awaitStream(restarted, new StreamSummary("r", 3, "acme", 3, 3, "C", T0, T0.plusSeconds(1)));
            assertThat(restarted.views().partition(3)).contains(new PartitionStatistics(3, 1, 3, 3, 3, 0,
                    List.of()));
        }
    }

    @Test
    void closingTwiceIsHarmlessAndStopsAnswering(@TempDir Path state) {
        ViewsApplication views = ViewsApplication.start(settings(freshTopics("close"), state));
        ViewsHttpClient client = ViewsHttpClient.of(views.url());
        await().alias("running").atMost(Duration.ofSeconds(60)).until(views::isReady);

        views.close();
        views.close();

        assertThat(views.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(views.isReady()).isFalse();
        assertThatThrownBy(client::partitions).isInstanceOf(ViewsUnavailableException.class);
    }

    private void awaitStream(ViewsApplication views, StreamSummary expected) {
        await().alias("stream " + expected.streamId() + " at version " + expected.latestVersion())
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptionsInstanceOf(ViewsUnavailableException.class)
                .untilAsserted(() -> assertThat(views.views().stream(expected.streamId())).contains(expected));
    }

    /** An events topic of 4 partitions: the views follow the topic's count, and fewer tasks start faster. */
    private ViewsTopics freshTopics(String name) {
        ViewsTopics topics = ViewsTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName(name) + ".");
        broker.createTopic(topics.events(), 4);
        return topics;
    }

    private ViewsSettings settings(ViewsTopics topics, Path state) {
        return ViewsFixtures.settings(broker, registry, topics, KafkaBroker.uniqueName("views-app"), state)
                .withAdvertisedHost("127.0.0.1");
    }
}

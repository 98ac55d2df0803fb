package io.allsource.ingest.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.views.query.ViewsHttpClient;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.SequenceRange;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCountsView;
import io.allsource.ingest.views.state.TenantCountsView.WindowCounts;
import io.allsource.ingest.views.topology.GapAlert;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the views (one application id, two state directories, two ports) over events published straight
 * to the events topic, copies and a sequence gap included: each answers every query correctly, keys the other owns
 * included.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewsInstancesIT {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final List<String> TYPES = List.of("Placed", "Paid", "Shipped");
    private static final int GAP_PARTITION = 5;

    private final KafkaBroker broker;
    private final TestSchemaRegistry registry;
    private final ViewsTopics topics;
    private final List<EventRecord> published = new ArrayList<>();
    private ViewsApplication first;
    private ViewsApplication second;

    ViewsInstancesIT(KafkaBroker broker, TestSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        String prefix = KafkaBroker.uniqueName("i") + ".";
        this.topics = ViewsTopics.DEFAULT.withPrefix(prefix);
        broker.createTopic(topics.events(), 32);
    }

    @BeforeAll
    void startTwoInstancesAndPublish(@TempDir Path state) throws Exception {
        String applicationId = KafkaBroker.uniqueName("views-pair");
        first = ViewsApplication.start(ViewsFixtures.settings(broker, registry, topics, applicationId,
                state.resolve("first")).withAdvertisedHost("127.0.0.1"));
        second = ViewsApplication.start(ViewsFixtures.settings(broker, registry, topics, applicationId,
                state.resolve("second")).withAdvertisedHost("127.0.0.1"));
        await().alias("both instances running").atMost(Duration.ofSeconds(60))
                .until(() -> first.isReady() && second.isReady());
        publish(events());
    }

    @AfterAll
    void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void eachInstanceAnswersEveryStreamPartitionAndTenantQueryCorrectly() {
        for (ViewsApplication instance : List.of(first, second)) {
            ViewsHttpClient client = ViewsHttpClient.of(instance.url());
            await().alias("every answer of " + instance.url() + " right").atMost(Duration.ofSeconds(90))
                    .ignoreExceptionsInstanceOf(ViewsUnavailableException.class)
                    .untilAsserted(() -> assertAnswersEverything(client));
        }
    }

    private void assertAnswersEverything(ViewsHttpClient client) {
        assertThat(client.partitions()).isEqualTo(expectedPartitions());
        for (PartitionStatistics expected : expectedPartitions()) {
            assertThat(client.partition(expected.partition())).contains(expected);
        }
        expectedStreams().forEach((id, expected) -> assertThat(client.stream(id)).as(id).contains(expected));
        for (String tenant : TENANTS) {
            TenantCountsView all = client.tenantCounts(tenant, T0, T0.plus(Duration.ofHours(1)));
            assertThat(all.windows()).as(tenant).isEqualTo(expectedWindows(tenant));
            TenantCountsView overlapping = client.tenantCounts(tenant, T0.plusSeconds(90), T0.plusSeconds(150));
            assertThat(overlapping.windows()).as(tenant + " from 12:01:30 to 12:02:30")
                    .extracting(WindowCounts::start).containsExactly(T0.plusSeconds(60), T0.plusSeconds(120));
        }
        assertThat(client.stream("never-published")).isEmpty();
        assertThat(client.partition(32)).isEmpty();
    }

    @Test
    void bothInstancesOwnPartOfTheKeysSoQueriesCrossBetweenThem() {
        await().alias("the views caught up").atMost(Duration.ofSeconds(90))
                .ignoreExceptionsInstanceOf(ViewsUnavailableException.class)
                .untilAsserted(() -> assertThat(first.views().partitions()).isEqualTo(expectedPartitions()));

        Set<Integer> own = partitionsOf(first.localViews().partitions());
        Set<Integer> others = partitionsOf(second.localViews().partitions());

        assertThat(own).isNotEmpty();
        assertThat(others).isNotEmpty().doesNotContainAnyElementsOf(own);
        Set<Integer> all = new HashSet<>(own);
        all.addAll(others);
        assertThat(all).hasSize(32);
    }

    @Test
    void aSequenceGapIsPublishedOnceToTheAlertsTopic() {
        await().alias("the gap seen").atMost(Duration.ofSeconds(90))
                .ignoreExceptionsInstanceOf(ViewsUnavailableException.class)
                .untilAsserted(() -> assertThat(first.views().partition(GAP_PARTITION).orElseThrow().gapsSeen())
                        .isEqualTo(1));

        List<String> alerts = ViewsFixtures.alerts(broker, topics.alerts());

        assertThat(alerts).hasSize(1);
        GapAlert alert = GapAlert.fromJson(alerts.get(0));
        assertThat(alert.partition()).isEqualTo(GAP_PARTITION);
        assertThat(alert.missingFrom()).isEqualTo(alert.missingTo());
        assertThat(first.metrics().sequenceGapCount(GAP_PARTITION) + second.metrics().sequenceGapCount(GAP_PARTITION))
                .isGreaterThanOrEqualTo(1);
    }

    /**
     * Two to three streams in every partition, each with one to three versions; one stream placed by another stream's
     * key; in {@link #GAP_PARTITION} one sequence skipped; then copies of a third of the events, out of order.
     */
    private List<EventRecord> events() {
        Map<Integer, Long> sequences = new TreeMap<>();
        List<EventRecord> events = new ArrayList<>();
        int made = 0;
        Map<Integer, Integer> streamsPerPartition = new TreeMap<>();
        for (int i = 0; streamsPerPartition.size() < 32 || streamsPerPartition.values().stream()
                .anyMatch(count -> count < 2); i++) {
            String stream = "order-" + i;
            int partition = PartitionFunction.partitionOf(stream);
            if (streamsPerPartition.merge(partition, 1, Integer::sum) > 3) {
                continue;
            }
            for (int version = 1; version <= 1 + made % 3; version++) {
                long sequence = sequences.merge(partition, 1L, Long::sum);
                if (partition == GAP_PARTITION && sequence == 2) {
                    sequence = sequences.merge(partition, 1L, Long::sum);
                }
                events.add(event(stream, version, partition, sequence, made));
            }
            made++;
        }
        String placed = "invoice-of-order-0";
        int partition = PartitionFunction.partitionOf("order-0");
        events.add(event(placed, 1, partition, sequences.merge(partition, 1L, Long::sum), made));
        List<EventRecord> copies = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i -= 3) {
            copies.add(events.get(i));
        }
        events.addAll(copies);
        return events;
    }

    private static EventRecord event(String stream, long version, int partition, long sequence, int index) {
        return ViewsFixtures.event(stream, version, partition, sequence, TENANTS.get(index / 2 % TENANTS.size()),
                TYPES.get((int) (version - 1) % TYPES.size()), T0.plusSeconds(index * 7L + version));
    }

    private void publish(List<EventRecord> events) {
        ViewsFixtures.publish(broker, registry, topics.events(), events);
        published.addAll(events);
    }

    private Map<String, EventRecord> distinct() {
        Map<String, EventRecord> distinct = new LinkedHashMap<>();
        published.forEach(event -> distinct.putIfAbsent(event.getStreamId() + "/" + event.getVersion(), event));
        return distinct;
    }

    private List<PartitionStatistics> expectedPartitions() {
        Map<Integer, List<EventRecord>> byPartition = new TreeMap<>();
        distinct().values().forEach(event -> byPartition.computeIfAbsent(event.getPartition(), p -> new ArrayList<>())
                .add(event));
        List<PartitionStatistics> expected = new ArrayList<>();
        byPartition.forEach((partition, events) -> expected.add(new PartitionStatistics(partition,
                events.stream().map(EventRecord::getStreamId).distinct().count(), events.size(),
                events.stream().mapToLong(EventRecord::getVersion).max().orElseThrow(),
                events.stream().mapToLong(EventRecord::getPartitionSequence).max().orElseThrow(),
                partition == GAP_PARTITION ? 1 : 0,
                partition == GAP_PARTITION ? List.of(new SequenceRange(2, 2)) : List.of())));
        return expected;
    }

    private Map<String, StreamSummary> expectedStreams() {
        Map<String, StreamSummary> expected = new TreeMap<>();
        for (EventRecord event : distinct().values()) {
            StreamSummary latest = new StreamSummary(event.getStreamId(), event.getPartition(), event.getTenantId(),
                    event.getVersion(), 1, event.getEventType(), event.getRecordedAt(), event.getRecordedAt());
            expected.merge(event.getStreamId(), latest, (before, now) -> new StreamSummary(before.streamId(),
                    before.partition(), now.tenantId(), now.latestVersion(), before.eventCount() + 1,
                    now.lastEventType(), before.firstRecordedAt(), now.lastRecordedAt()));
        }
        return expected;
    }

    private List<WindowCounts> expectedWindows(String tenant) {
        Map<Instant, Map<String, Long>> windows = new TreeMap<>();
        distinct().values().stream().filter(event -> event.getTenantId().equals(tenant)).forEach(event -> {
            Instant start = Instant.ofEpochMilli(event.getRecordedAt().toEpochMilli() / 60_000 * 60_000);
            windows.computeIfAbsent(start, s -> new TreeMap<>()).merge(event.getEventType(), 1L, Long::sum);
        });
        List<WindowCounts> expected = new ArrayList<>();
        windows.forEach((start, counts) -> expected.add(new WindowCounts(start, start.plusSeconds(60), counts)));
        return expected;
    }

    private static Set<Integer> partitionsOf(List<PartitionStatistics> statistics) {
        Set<Integer> partitions = new HashSet<>();
        statistics.forEach(s -> partitions.add(s.partition()));
        return partitions;
    }
}

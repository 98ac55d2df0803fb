package io.allsource.ingest.views.topology;

import static io.allsource.ingest.views.topology.TestEvents.T0;
import static io.allsource.ingest.views.topology.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.views.ViewsTopics;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.SequenceRange;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCounts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The views' topology driven without a broker: deduplication, gaps and alerts, the catalogue, the tenant windows. */
class ViewsTopologyTest {

    private static final ViewsTopics TOPICS = ViewsTopics.DEFAULT;

    @TempDir
    Path stateDirectory;

    private ViewsMetrics metrics;
    private TopologyTestDriver driver;
    private TestInputTopic<String, EventRecord> events;
    private TestOutputTopic<String, String> alerts;

    @BeforeEach
    void startDriver() {
        metrics = new ViewsMetrics(new SimpleMeterRegistry());
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "views-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UndecodableEventHandler.class);
        properties.put(UndecodableEventHandler.METRICS_CONFIG, metrics);
        driver = new TopologyTestDriver(ViewsTopology.build(TOPICS, TestEvents.serde(), metrics, Duration.ofDays(1)),
                properties);
        events = driver.createInputTopic(TOPICS.events(), new StringSerializer(), TestEvents.serde().serializer());
        alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void countsEveryEventOnceWhenTheSameEventsArriveAgain() {
        List<EventRecord> published = List.of(event("a", 1, 2, 1), event("a", 2, 2, 2), event("b", 1, 2, 3));
        pipe(published);
        pipe(published);
        pipe(published.subList(1, 3));

        assertThat(partition(2)).isEqualTo(new PartitionStatistics(2, 2, 3, 2, 3, 0, List.of()));
        assertThat(stream("a").eventCount()).isEqualTo(2);
        assertThat(stream("a").latestVersion()).isEqualTo(2);
        assertThat(stream("b").eventCount()).isEqualTo(1);
        assertThat(metrics.duplicateCount()).isEqualTo(5);
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void countsOutOfOrderCopiesOnceAndKeepsTheLatestVersionAndItsType() {
        pipe(List.of(event("s", 1, 0, 1, "t", "Placed", T0), event("s", 2, 0, 2, "t", "Paid", T0.plusSeconds(1)),
                event("s", 3, 0, 3, "t", "Shipped", T0.plusSeconds(2))));
        // A republication after a crash: copies of versions 2 and 1 after version 3, then 3 again.
        pipe(List.of(event("s", 2, 0, 2, "t", "Paid", T0.plusSeconds(1)), event("s", 1, 0, 1, "t", "Placed", T0),
                event("s", 3, 0, 3, "t", "Shipped", T0.plusSeconds(2))));

        assertThat(stream("s")).isEqualTo(new StreamSummary("s", 0, "t", 3, 3, "Shipped", T0, T0.plusSeconds(2)));
        assertThat(partition(0).events()).isEqualTo(3);
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void countsAStreamWhoseFirstCopyToArriveIsNotItsFirstVersion() {
        pipe(List.of(event("late", 2, 5, 2, "t", "Second", T0.plusSeconds(5)), event("late", 1, 5, 1, "t", "First",
                T0)));

        assertThat(stream("late")).isEqualTo(new StreamSummary("late", 5, "t", 2, 2, "Second", T0,
                T0.plusSeconds(5)));
        assertThat(partition(5).streams()).isEqualTo(1);
        assertThat(partition(5).events()).isEqualTo(2);
    }

    @Test
    void aPartitionSequenceGapProducesExactlyOneAlertAndOneCountedGap() {
        pipe(List.of(event("g", 1, 7, 1), event("g", 2, 7, 2), event("g", 3, 7, 5), event("h", 1, 7, 6),
                event("g", 3, 7, 5)));

        List<KeyValue<String, String>> published = alerts.readKeyValuesToList();
        assertThat(published).hasSize(1);
        assertThat(published.get(0).key).isEqualTo("7");
        GapAlert alert = GapAlert.fromJson(published.get(0).value);
        assertThat(alert).isEqualTo(new GapAlert(GapAlert.KIND, 7, 3, 4, 2, 5, "g", 3,
                event("g", 3, 7, 5).getEventId(), T0));
        assertThat(metrics.sequenceGapCount(7)).isEqualTo(1);
        assertThat(partition(7).gapsSeen()).isEqualTo(1);
        assertThat(partition(7).missingSequences()).containsExactly(new SequenceRange(3, 4));
    }

    @Test
    void aMissingSequenceArrivingLateFillsTheGapWithoutAnotherAlert() {
        pipe(List.of(event("f", 1, 1, 1), event("f", 3, 1, 3), event("f", 2, 1, 2)));

        assertThat(alerts.readValuesToList()).hasSize(1);
        assertThat(partition(1)).isEqualTo(new PartitionStatistics(1, 1, 3, 3, 3, 1, List.of()));
    }

    @Test
    void keepsEachPartitionsStatisticsApart() {
        pipe(List.of(event("x", 1, 0, 1), event("y", 1, 31, 1), event("y", 2, 31, 2), event("z", 1, 31, 3)));

        assertThat(partition(0)).isEqualTo(new PartitionStatistics(0, 1, 1, 1, 1, 0, List.of()));
        assertThat(partition(31)).isEqualTo(new PartitionStatistics(31, 2, 3, 2, 3, 0, List.of()));
        List<Integer> keys = new ArrayList<>();
        try (var rows = partitionStore().all()) {
            rows.forEachRemaining(row -> keys.add(row.key));
        }
        assertThat(keys).containsExactly(0, 31);
    }

    @Test
    void countsTenantEventsByTypeInOneMinuteWindowsOfTheCommitTime() {
        Instant minute = Instant.parse("2026-03-01T12:00:00Z");
        pipe(List.of(event("o1", 1, 0, 1, "acme", "Placed", minute.plusSeconds(5)),
                event("o1", 2, 0, 2, "acme", "Paid", minute.plusSeconds(59)),
                event("o2", 1, 0, 3, "acme", "Placed", minute.plusSeconds(61)),
                event("o3", 1, 1, 1, "other", "Placed", minute.plusSeconds(30)),
                event("o1", 2, 0, 2, "acme", "Paid", minute.plusSeconds(59))));

        assertThat(windows("acme", minute, minute.plusSeconds(120))).containsExactly(
                KeyValue.pair(minute, Map.of("Paid", 1L, "Placed", 1L)),
                KeyValue.pair(minute.plusSeconds(60), Map.of("Placed", 1L)));
        assertThat(windows("other", minute, minute.plusSeconds(120)))
                .containsExactly(KeyValue.pair(minute, Map.of("Placed", 1L)));
    }

    @Test
    void countsAnEventCommittedBeforeTheNewestOneSeenWithinTheRetention() {
        Instant minute = Instant.parse("2026-03-01T12:00:00Z");
        pipe(List.of(event("n", 1, 0, 1, "acme", "New", minute.plus(Duration.ofHours(3))),
                event("o", 1, 1, 1, "acme", "Old", minute)));

        assertThat(windows("acme", minute, minute.plusSeconds(60)))
                .containsExactly(KeyValue.pair(minute, Map.of("Old", 1L)));
    }

    @Test
    void skipsAnUndecodableRecordCountsItAndGoesOn() {
        driver.createInputTopic(TOPICS.events(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("broken", new byte[] {1, 2, 3});
        pipe(List.of(event("ok", 1, 0, 1)));

        assertThat(metrics.skippedCount("undecodable")).isEqualTo(1);
        assertThat(stream("ok").eventCount()).isEqualTo(1);
    }

    private void pipe(List<EventRecord> records) {
        for (EventRecord record : records) {
            events.pipeInput(record.getStreamId(), record, record.getRecordedAt());
        }
    }

    private StreamSummary stream(String id) {
        KeyValueStore<String, StreamSummary> store = driver.getKeyValueStore(ViewsTopology.STREAMS_STORE);
        return store.get(id);
    }

    private PartitionStatistics partition(int partition) {
        return partitionStore().get(partition);
    }

    private KeyValueStore<Integer, PartitionStatistics> partitionStore() {
        return driver.getKeyValueStore(ViewsTopology.PARTITIONS_STORE);
    }

    private List<KeyValue<Instant, Map<String, Long>>> windows(String tenant, Instant from, Instant to) {
        WindowStore<String, TenantCounts> store = driver.getWindowStore(ViewsTopology.TENANT_COUNTS_STORE);
        List<KeyValue<Instant, Map<String, Long>>> windows = new ArrayList<>();
        try (WindowStoreIterator<TenantCounts> rows = store.fetch(tenant, from, to)) {
            rows.forEachRemaining(row -> windows.add(KeyValue.pair(Instant.ofEpochMilli(row.key),
                    row.value.byEventType())));
        }
        return windows;
    }
}

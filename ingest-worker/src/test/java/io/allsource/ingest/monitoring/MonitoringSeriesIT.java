package io.allsource.ingest.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.monitoring.MonitoringFiles.AlertRule;
import io.allsource.ingest.monitoring.MonitoringFiles.PanelQuery;
import io.allsource.ingest.startup.TestWorkerConfig;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every series the shipped dashboard and alerting rules read exists on a running worker's {@code /metrics} from the
 * start, before any failure has happened: a rule on a series that is never exported never fires, and a panel on one
 * shows "no data" where an operator expects 0.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
class MonitoringSeriesIT {

    private final KafkaBroker broker;
    private final TestDatabase database;
    private final TestSchemaRegistry registry;

    MonitoringSeriesIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registry = registry;
    }

    @Test
    void everySeriesTheDashboardAndTheAlertsReadExistsOnAWorkersMetrics() throws Exception {
        String prefix = KafkaBroker.uniqueName("monitored") + ".";
        Map<String, Set<String>> readBy = new TreeMap<>();
        for (AlertRule rule : MonitoringFiles.alertRules()) {
            MonitoringFiles.seriesNames(rule.expr()).forEach(name -> readBy.computeIfAbsent(name,
                    key -> new TreeSet<>()).add("alert " + rule.name()));
        }
        for (PanelQuery query : MonitoringFiles.panelQueries()) {
            MonitoringFiles.seriesNames(query.expr()).forEach(name -> readBy.computeIfAbsent(name,
                    key -> new TreeSet<>()).add("panel " + query.panel()));
        }
        assertThat(readBy).as("the files name the worker's own series and the JVM's")
                .containsKeys("ingest_worker_ready", "ingest_partition_lag", "ingest_failures_total",
                        "ingest_transaction_time_seconds_bucket", "jvm_gc_pause_seconds_sum");

        try (WorkerApplication application = WorkerApplication.start(config(prefix))) {
            sendUndecodable(prefix + "ingest.commands");
            await().alias("the undecodable record dead-lettered, so the write path has run")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> scrape(application).contains("ingest_commands_dead_lettered_total 1.0"));

            // The GC pause series appear with the first collection, which a running worker has within seconds.
            System.gc();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set<String> exported = seriesNames(scrape(application));
                assertThat(readBy.keySet()).allSatisfy(name -> assertThat(exported)
                        .as("%s, read by %s", name, readBy.get(name)).contains(name));
            });
            assertThat(scrape(application)).contains("ingest_worker_ready 1.0",
                    "ingest_failures_total{kind=\"fatal\",step=\"publish\"} 0.0",
                    "ingest_retries_total{step=\"store\"} 0.0");
        }
    }

    private IngestConfig config(String prefix) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return TestWorkerConfig.of(broker.bootstrapServers(), database.jdbcUrl(), registry.url(), prefix, Map.of(
                ConfigKeys.CREATE_TOPICS.name(), "true", ConfigKeys.AUTO_REGISTER.name(), "true",
                ConfigKeys.METRICS_PORT.name(), Integer.toString(port),
                ConfigKeys.METRICS_HOST.name(), "127.0.0.1",
                ConfigKeys.LAG_INTERVAL_MS.name(), "1000"));
    }

    private void sendUndecodable(String topic) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "no-command".getBytes(StandardCharsets.UTF_8),
                    "not a command".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String scrape(WorkerApplication application) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + application.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The names of the samples in a Prometheus text exposition. */
    private static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }
}

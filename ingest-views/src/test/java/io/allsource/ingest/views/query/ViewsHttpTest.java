package io.allsource.ingest.views.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.views.ViewsUnavailableException;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.SequenceRange;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCountsView;
import io.allsource.ingest.views.state.TenantCountsView.WindowCounts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP endpoints and the client over fixed views: routes, status codes, encodings. */
class ViewsHttpTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final StreamSummary ODD_STREAM = new StreamSummary("orders/42 ü+1", 9, "acme", 3, 3, "Paid", T0,
            T0.plusSeconds(2));
    private static final PartitionStatistics PARTITION_9 = new PartitionStatistics(9, 1, 3, 3, 7, 1,
            List.of(new SequenceRange(2, 4)));

    private final FixedViews whole = new FixedViews("whole");
    private final FixedViews local = new FixedViews("local");
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private ViewsHttpServer server;
    private ViewsHttpClient client;

    @BeforeEach
    void start() {
        server = ViewsHttpServer.bind("127.0.0.1", 0);
        server.start(whole, local, ready::get, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        client = ViewsHttpClient.of(URI.create("http://127.0.0.1:" + server.port() + "/"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersAStreamWhoseIdNeedsEncoding() {
        assertThat(client.stream(ODD_STREAM.streamId())).contains(ODD_STREAM);
        assertThat(whole.asked).containsExactly("stream " + ODD_STREAM.streamId());
    }

    @Test
    void answers404ForWhatHasNotBeenSeen() throws Exception {
        assertThat(client.stream("unknown")).isEmpty();
        assertThat(client.partition(3)).isEmpty();
        HttpResponse<String> raw = get("/streams/unknown");
        assertThat(raw.statusCode()).isEqualTo(404);
        assertThat(raw.body()).contains("\"error\"", "unknown");
    }

    @Test
    void answersPartitionsAsSnakeCaseJson() throws Exception {
        assertThat(client.partitions()).containsExactly(PARTITION_9);
        assertThat(client.partition(9)).contains(PARTITION_9);
        assertThat(get("/partitions/9").body()).contains("\"last_sequence\":7", "\"gaps_seen\":1",
                "\"missing_sequences\":[{\"from\":2,\"to\":4}]");
    }

    @Test
    void refusesAMalformedPartitionOrRangeWith400() throws Exception {
        assertThat(get("/partitions/nine").statusCode()).isEqualTo(400);
        assertThat(get("/partitions/-1").statusCode()).isEqualTo(400);
        assertThat(get("/tenants/acme/counts?from=yesterday").statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> client.tenantCounts("acme", T0, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(get("/tenants/acme/counts?from=2026-03-01T13:00:00Z&to=2026-03-01T12:00:00Z").statusCode())
                .isEqualTo(400);
    }

    @Test
    void answersTenantCountsForTheGivenRangeOrTheLastHour() throws Exception {
        TenantCountsView view = client.tenantCounts("acme co", T0, T0.plusSeconds(120));
        assertThat(view.tenant()).isEqualTo("acme co");
        assertThat(view.windows()).hasSize(1);
        assertThat(view.totals()).containsEntry("Paid", 2L);

        Instant before = Instant.now();
        assertThat(get("/tenants/acme/counts").statusCode()).isEqualTo(200);
        String asked = whole.asked.get(whole.asked.size() - 1);
        Instant to = Instant.parse(asked.split(" ")[3]);
        Instant from = Instant.parse(asked.split(" ")[2]);
        assertThat(to).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void answersFromTheLocalStoresOnlyWhenAskedForScopeLocal() {
        ViewsHttpClient localClient = client.withScope(ViewsHttpClient.Scope.LOCAL);

        localClient.partitions();
        localClient.stream("s");

        assertThat(local.asked).containsExactly("partitions", "stream s");
        assertThat(whole.asked).isEmpty();
    }

    @Test
    void answers503WithRetryAfterWhileTheViewsCannotAnswer() throws Exception {
        whole.unavailable = true;

        HttpResponse<String> raw = get("/partitions");

        assertThat(raw.statusCode()).isEqualTo(503);
        assertThat(raw.headers().firstValue("Retry-After")).contains("1");
        assertThatThrownBy(() -> client.partitions()).isInstanceOf(ViewsUnavailableException.class)
                .hasMessageContaining("rebalancing");
    }

    @Test
    void servesOnlyGetAndKnownPaths() throws Exception {
        HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/partitions"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
    }

    @Test
    void reportsReadinessAndMetrics() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        ready.set(false);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void theClientReportsAnInstanceThatDoesNotAnswer() {
        int port = server.port();
        server.close();

        assertThatThrownBy(() -> ViewsHttpClient.of(URI.create("http://127.0.0.1:" + port)).partitions())
                .isInstanceOf(ViewsUnavailableException.class).hasMessageContaining("does not answer");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Views with fixed answers that record what they were asked. */
    private static final class FixedViews implements ViewsReader {

        final String name;
        final List<String> asked = new ArrayList<>();
        volatile boolean unavailable;

        FixedViews(String name) {
            this.name = name;
        }

        @Override
        public synchronized Optional<StreamSummary> stream(String streamId) {
            answer("stream " + streamId);
            return streamId.equals(ODD_STREAM.streamId()) ? Optional.of(ODD_STREAM) : Optional.empty();
        }

        @Override
        public synchronized List<PartitionStatistics> partitions() {
            answer("partitions");
            return List.of(PARTITION_9);
        }

        @Override
        public synchronized Optional<PartitionStatistics> partition(int partition) {
            answer("partition " + partition);
            return partition == 9 ? Optional.of(PARTITION_9) : Optional.empty();
        }

        @Override
        public synchronized TenantCountsView tenantCounts(String tenant, Instant from, Instant to) {
            answer("tenant " + tenant.replace(' ', '_') + " " + from + " " + to);
            return TenantCountsView.of(tenant, from, to,
                    List.of(new WindowCounts(T0, T0.plusSeconds(60), Map.of("Paid", 2L))));
        }

        private void answer(String question) {
            if (unavailable) {
                throw new ViewsUnavailableException("the views are rebalancing");
            }
            asked.add(question);
        }
    }
}

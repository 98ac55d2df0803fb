package io.allsource.ingest.views.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.allsource.ingest.views.ViewsUnavailableException;
import io.allsource.ingest.views.state.Json;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCountsView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks one views instance over HTTP, for another instance (forwarding a key it owns) or for a program such as
 * {@code ingest stats --live}. With {@link Scope#WHOLE} the instance answers for all instances; with
 * {@link Scope#LOCAL} only from its own stores, which is how instances ask each other so that a request is never
 * forwarded twice. Thread-safe.
 */
public final class ViewsHttpClient implements ViewsReader {

    /** Which stores an instance answers from. */
    public enum Scope {
        /** All instances' stores: the instance asks the others. */
        WHOLE,
        /** Only its own stores. */
        LOCAL
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final TypeReference<List<PartitionStatistics>> PARTITION_LIST = new TypeReference<>() {
    };

    private final URI base;
    private final Scope scope;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper mapper = Json.mapper();

    private ViewsHttpClient(URI base, Scope scope, Duration timeout, HttpClient http) {
        this.base = base;
        this.scope = scope;
        this.timeout = timeout;
        this.http = http;
    }

    /** A client of the instance at {@code base} (such as {@code http://127.0.0.1:9500}) asking for whole answers. */
    public static ViewsHttpClient of(URI base) {
        String text = Objects.requireNonNull(base, "base").toString();
        URI trimmed = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        return new ViewsHttpClient(trimmed, Scope.WHOLE, Duration.ofSeconds(10),
                HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build());
    }

    public ViewsHttpClient withScope(Scope newScope) {
        return new ViewsHttpClient(base, Objects.requireNonNull(newScope, "scope"), timeout, http);
    }

    public ViewsHttpClient withTimeout(Duration newTimeout) {
        return new ViewsHttpClient(base, scope, Objects.requireNonNull(newTimeout, "timeout"), http);
    }

    public URI base() {
        return base;
    }

    @Override
    public Optional<StreamSummary> stream(String streamId) {
        return get("/streams/" + PathSegments.encode(streamId), "")
                .map(body -> read(body, StreamSummary.class));
    }

    @Override
    public List<PartitionStatistics> partitions() {
        String body = get("/partitions", "").orElseThrow(() -> new ViewsUnavailableException(base
                + "/partitions answered 404: is that a views instance?"));
        try {
            return mapper.readValue(body, PARTITION_LIST);
        } catch (IOException e) {
            throw new ViewsUnavailableException("Unreadable answer from " + base + "/partitions: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public Optional<PartitionStatistics> partition(int partition) {
        return get("/partitions/" + partition, "").map(body -> read(body, PartitionStatistics.class));
    }

    @Override
    public TenantCountsView tenantCounts(String tenant, Instant from, Instant to) {
        TenantWindows.check(from, to);
        String path = "/tenants/" + PathSegments.encode(tenant) + "/counts";
        String query = "from=" + PathSegments.encode(from.toString()) + "&to=" + PathSegments.encode(to.toString());
        String body = get(path, query).orElseThrow(() -> new ViewsUnavailableException(base + path
                + " answered 404: is that a views instance?"));
        return read(body, TenantCountsView.class);
    }

    /** The body of a 200 answer, empty for 404; anything else is {@link ViewsUnavailableException}. */
    private Optional<String> get(String path, String query) {
        String fullQuery = scope == Scope.LOCAL ? (query.isEmpty() ? "scope=local" : query + "&scope=local") : query;
        URI uri = URI.create(base + path + (fullQuery.isEmpty() ? "" : "?" + fullQuery));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ViewsUnavailableException("The views instance at " + base + " does not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewsUnavailableException("Interrupted while asking the views instance at " + base, e);
        }
        return switch (response.statusCode()) {
            case 200 -> Optional.of(response.body());
            case 404 -> Optional.empty();
            case 400 -> throw new IllegalArgumentException(errorOf(response.body()));
            default -> throw new ViewsUnavailableException("The views instance at " + base + " answered "
                    + response.statusCode() + " to " + path + ": " + errorOf(response.body()));
        };
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw new ViewsUnavailableException("Unreadable answer from " + base + ": " + e.getMessage(), e);
        }
    }

    private String errorOf(String body) {
        try {
            return mapper.readTree(body).path("error").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    @Override
    public String toString() {
        return "ViewsHttpClient[" + base + ", " + scope + "]";
    }
}

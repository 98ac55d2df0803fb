package io.allsource.ingest.views.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.allsource.ingest.views.ViewsUnavailableException;
import io.allsource.ingest.views.state.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The views' HTTP endpoints on the JDK's own server, all {@code GET}, all JSON but {@code /metrics}:
 * <ul>
 *   <li>{@code /streams/{id}}: the stream's catalogue entry (404 when unknown);</li>
 *   <li>{@code /partitions}: every partition's statistics, gathered from all instances;</li>
 *   <li>{@code /partitions/{p}}: one partition's (404 when no event of it has been seen);</li>
 *   <li>{@code /tenants/{tenant}/counts?from=&to=}: the tenant's one-minute windows overlapping [from, to), ISO-8601
 *       instants; {@code to} defaults to now and {@code from} to one hour before {@code to};</li>
 *   <li>{@code /health/live}, {@code /health/ready} (200 while the views run, else 503), {@code /metrics}.</li>
 * </ul>
 * Any instance answers any query; with {@code scope=local} it answers from its own stores only (how instances ask each
 * other). 400 for a malformed request, 503 with {@code Retry-After} while the views cannot answer (starting,
 * rebalancing, an instance not answering). Bind first, to learn the port, then {@link #start}. Thread-safe.
 */
public final class ViewsHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ViewsHttpServer.class);
    private static final Pattern STREAM = Pattern.compile("/streams/([^/]+)");
    private static final Pattern PARTITION = Pattern.compile("/partitions/([^/]+)");
    private static final Pattern TENANT_COUNTS = Pattern.compile("/tenants/([^/]+)/counts");
    private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    private static final int THREADS = 8;

    /**
     * The JDK server writes a response's headers and body in two segments; without TCP_NODELAY the body waits for
     * the client's delayed acknowledgement (some 40 ms a request, twice for a forwarded one). The JDK reads this
     * property once, when its first server starts; an explicit setting is kept.
     */
    private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private ViewsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds the address (port 0: any free port) without answering yet. */
    public static ViewsHttpServer bind(String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            AtomicInteger counter = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
                Thread thread = new Thread(runnable, "ingest-views-http-" + counter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            return new ViewsHttpServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the views on " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Starts answering.
     *
     * @param views  answers for all instances
     * @param local  answers from this instance's stores only
     * @param ready  whether the views run
     * @param meters scraped by {@code /metrics}
     */
    public void start(ViewsReader views, ViewsReader local, BooleanSupplier ready, PrometheusMeterRegistry meters) {
        server.createContext("/", exchange -> handle(exchange, views, local, ready, meters));
        server.start();
    }

    private void handle(HttpExchange exchange, ViewsReader views, ViewsReader local, BooleanSupplier ready,
            PrometheusMeterRegistry meters) throws IOException {
        try {
            dispatch(exchange, views, local, ready, meters);
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
        } catch (ViewsUnavailableException e) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            error(exchange, 503, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Answering {} failed", exchange.getRequestURI(), e);
            error(exchange, 500, "internal error: " + e);
        } finally {
            exchange.close();
        }
    }

    private static void dispatch(HttpExchange exchange, ViewsReader views, ViewsReader local, BooleanSupplier ready,
            PrometheusMeterRegistry meters) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            error(exchange, 405, "only GET is served");
            return;
        }
        String path = exchange.getRequestURI().getRawPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        ViewsReader reader = "local".equals(query.get("scope")) ? local : views;
        switch (path) {
            case "/health/live" -> text(exchange, 200, "UP\n", "text/plain");
            case "/health/ready" -> {
                boolean isReady = ready.getAsBoolean();
                text(exchange, isReady ? 200 : 503, isReady ? "READY\n" : "NOT READY\n", "text/plain");
            }
            case "/metrics" -> text(exchange, 200, meters.scrape(), "text/plain; version=0.0.4; charset=utf-8");
            case "/partitions" -> json(exchange, 200, reader.partitions());
            default -> route(exchange, path, query, reader);
        }
    }

    private static void route(HttpExchange exchange, String path, Map<String, String> query, ViewsReader reader)
            throws IOException {
        Matcher stream = STREAM.matcher(path);
        Matcher partition = PARTITION.matcher(path);
        Matcher tenant = TENANT_COUNTS.matcher(path);
        if (stream.matches()) {
            String id = PathSegments.decode(stream.group(1));
            found(exchange, reader.stream(id).orElse(null), "no event of stream " + id + " has been seen");
        } else if (partition.matches()) {
            int number = partitionNumber(partition.group(1));
            found(exchange, reader.partition(number).orElse(null), "no event of partition " + number
                    + " has been seen");
        } else if (tenant.matches()) {
            Instant to = instant(query, "to", Instant.now());
            Instant from = instant(query, "from", to.minus(DEFAULT_RANGE));
            TenantWindows.check(from, to);
            json(exchange, 200, reader.tenantCounts(PathSegments.decode(tenant.group(1)), from, to));
        } else {
            error(exchange, 404, "no such resource: " + path);
        }
    }

    private static int partitionNumber(String text) {
        try {
            int number = Integer.parseInt(text);
            if (number < 0) {
                throw new IllegalArgumentException("partition must not be negative, got " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("partition must be a whole number, got '" + text + "'");
        }
    }

    private static Instant instant(Map<String, String> query, String name, Instant otherwise) {
        String text = query.get(name);
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z,"
                    + " got '" + text + "'");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = PathSegments.decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : PathSegments.decode(pair.substring(equals + 1));
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    private static void found(HttpExchange exchange, Object value, String missing) throws IOException {
        if (value == null) {
            error(exchange, 404, missing);
        } else {
            json(exchange, 200, value);
        }
    }

    private static void json(HttpExchange exchange, int status, Object value) throws IOException {
        send(exchange, status, Json.mapper().writeValueAsBytes(value), "application/json");
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Map.of("error", message == null ? "" : message));
    }

    private static void text(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

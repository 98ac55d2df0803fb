package io.allsource.ingest.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;
import java.util.function.Supplier;

/**
 * The worker's HTTP endpoints on the JDK's own server: {@code /metrics} for Prometheus to scrape, {@code /health/live}
 * (the process answers) and {@code /health/ready} (the worker runs and its dependencies answer: 200 {@code READY}, or
 * 503 {@code NOT READY} followed by one line per reason, a held partition say). Owns one thread.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param notReady why the worker is not ready, one line each; empty when it is
     */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry,
            Supplier<List<String>> notReady) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape(),
                    "text/plain; version=0.0.4; charset=utf-8"));
            server.createContext("/health/live", exchange -> respond(exchange, 200, "UP\n", "text/plain"));
            server.createContext("/health/ready", exchange -> {
                List<String> reasons = notReady.get();
                StringBuilder body = new StringBuilder(reasons.isEmpty() ? "READY\n" : "NOT READY\n");
                reasons.forEach(reason -> body.append(reason).append('\n'));
                respond(exchange, reasons.isEmpty() ? 200 : 503, body.toString(), "text/plain");
            });
            ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "ingest-metrics-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.start();
            return new MetricsServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve metrics on " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String body, String contentType)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

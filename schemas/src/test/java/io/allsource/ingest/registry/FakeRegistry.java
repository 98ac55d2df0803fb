package io.allsource.ingest.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;

/**
 * A fake schema registry on a loopback port: answers every request with what its {@link Responder} says and records
 * what it received. Close it to stop it; a handler told to {@link Answer#hang() hang} is released then. Public for the
 * serde tests, which need a registry that serves schemas by id.
 */
public final class FakeRegistry implements AutoCloseable {

    /** One request as the server saw it: the path exactly as sent, still percent-encoded. */
    record Received(String method, String rawPath, String authorization, String contentType, String body) {
    }

    /** What to answer; {@link #hang()} answers nothing until the server is closed. */
    record Answer(int status, String body) {

        static Answer json(int status, String body) {
            return new Answer(status, body);
        }

        static Answer hang() {
            return new Answer(-1, "");
        }

        boolean hangs() {
            return status < 0;
        }
    }

    /** Chooses the answer to the {@code number}th request (from 1). */
    @FunctionalInterface
    interface Responder {
        Answer answer(int number, Received request);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger numbers = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Responder responder;
    private final String scheme;

    private FakeRegistry(HttpServer server, String scheme, Responder responder) {
        this.server = server;
        this.scheme = scheme;
        this.responder = responder;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A plain HTTP fake registry. */
    static FakeRegistry http(Responder responder) {
        try {
            return new FakeRegistry(HttpServer.create(loopback(), 0), "http", responder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS fake registry presenting the certificate of {@code tls}. */
    static FakeRegistry https(SSLContext tls, Responder responder) {
        try {
            HttpsServer server = HttpsServer.create(loopback(), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new FakeRegistry(server, "https", responder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every request the same way. */
    static FakeRegistry answering(int status, String body) {
        return http((number, request) -> Answer.json(status, body));
    }

    /** Serves {@code GET /schemas/ids/<id>} for the schemas given; any other id is not found (40403). */
    public static FakeRegistry servingSchemas(Map<Integer, Schema> schemasById) {
        return http((number, request) -> {
            String id = request.rawPath().substring(request.rawPath().lastIndexOf('/') + 1);
            Schema schema = request.rawPath().startsWith("/schemas/ids/") && id.matches("\\d{1,9}")
                    ? schemasById.get(Integer.parseInt(id)) : null;
            return schema == null ? Answer.json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}")
                    : Answer.json(200, RegistryHttp.JSON.createObjectNode().put("schema", schema.toString()).toString());
        });
    }

    /** A loopback port that nothing listens on (it was free a moment ago). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> requests() {
        return List.copyOf(received);
    }

    int requestCount() {
        return received.size();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(request);
            Answer answer = responder.answer(numbers.incrementAndGet(), request);
            if (answer.hangs()) {
                awaitClosing();
                return;
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void awaitClosing() {
        try {
            closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}

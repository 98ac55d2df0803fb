package io.allsource.ingest.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reverse proxy in front of a real schema registry ({@link TestSchemaRegistry}) that asks for HTTP basic
 * authentication, as a registry deployed behind a gateway does: no or unknown credentials are answered 401 (with
 * {@code WWW-Authenticate}), a known user without rights 403, a user with rights gets the registry's own answer. Over
 * HTTP, or over HTTPS with a {@link SelfSignedCertificate}. Both refusals carry a Confluent-style JSON error body
 * ({@code error_code}, {@code message}). Listens on a random loopback port; thread-safe.
 */
public final class RegistryProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistryProxy.class);
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(30);

    private final URI upstream;
    private final Map<String, String> passwords;
    private final Set<String> permitted;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "registry-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(UPSTREAM_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    private RegistryProxy(Builder builder, HttpServer server) {
        this.upstream = URI.create(builder.registryUrl);
        this.passwords = Map.copyOf(builder.passwords);
        this.permitted = Set.copyOf(builder.permitted);
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A proxy in front of the registry whose Confluent API is at {@code registryUrl}; add users, then start. */
    public static Builder inFrontOf(String registryUrl) {
        return new Builder(registryUrl);
    }

    /** How a proxy is to answer: who is let through, who is known without rights, and whether over TLS. */
    public static final class Builder {

        private final String registryUrl;
        private final Map<String, String> passwords = new HashMap<>();
        private final Set<String> permitted = new HashSet<>();
        private SelfSignedCertificate certificate;

        private Builder(String registryUrl) {
            this.registryUrl = registryUrl;
        }

        /** A user whose requests reach the registry. */
        public Builder permit(String user, String password) {
            passwords.put(user, password);
            permitted.add(user);
            return this;
        }

        /** A user whose credentials are right but who may do nothing: answered 403. */
        public Builder knowWithoutRights(String user, String password) {
            passwords.put(user, password);
            return this;
        }

        /** Serve HTTPS with this certificate instead of HTTP. */
        public Builder overHttps(SelfSignedCertificate serverCertificate) {
            this.certificate = serverCertificate;
            return this;
        }

        /**
         * Binds a free loopback port and starts serving.
         *
         * @throws UncheckedIOException when no port can be bound
         */
        public RegistryProxy start() {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
            try {
                if (certificate == null) {
                    return new RegistryProxy(this, HttpServer.create(address, 0));
                }
                HttpsServer server = HttpsServer.create(address, 0);
                server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
                return new RegistryProxy(this, server);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot bind the registry proxy", e);
            }
        }
    }

    /** The proxy's equivalent of the registry's URL: same path, this proxy's scheme, host and port. */
    public String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + upstream.getRawPath();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Optional<String> user = authenticatedUser(exchange.getRequestHeaders().getFirst("Authorization"));
            if (user.isEmpty()) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"schema-registry\"");
                answer(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
            } else if (!permitted.contains(user.get())) {
                answer(exchange, 403, "{\"error_code\":40301,\"message\":\"User " + user.get()
                        + " is denied access to the schema registry\"}");
            } else {
                forward(exchange);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Registry proxy failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            answer(exchange, 502, "{\"error_code\":502,\"message\":\"proxy failure\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(exchange, 502, "{\"error_code\":502,\"message\":\"proxy interrupted\"}");
        } finally {
            exchange.close();
        }
    }

    /** The user of a basic {@code Authorization} header whose password is right, or empty. */
    private Optional<String> authenticatedUser(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return Optional.empty();
        }
        String userInfo;
        try {
            userInfo = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length()).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = userInfo.substring(0, colon);
        return userInfo.substring(colon + 1).equals(passwords.get(user)) ? Optional.of(user) : Optional.empty();
    }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?"
                        + exchange.getRequestURI().getRawQuery())))
                .timeout(UPSTREAM_TIMEOUT)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : new String[] {"Accept", "Content-Type"}) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().firstValue("Content-Type")
                .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
        send(exchange, response.statusCode(), response.body());
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** Stops serving and lets the requests under way end. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

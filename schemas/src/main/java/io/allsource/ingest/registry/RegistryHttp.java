package io.allsource.ingest.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over HTTP to the registry, with bounded retries of connection errors, server errors (5xx), 408 and 429, and a
 * clear error for other refusals (4xx). Thread-safe.
 */
final class RegistryHttp {

    private static final Logger log = LoggerFactory.getLogger(RegistryHttp.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Request timeout and too many requests: the registry asks to come back later. */
    private static final int REQUEST_TIMEOUT = 408;
    private static final int TOO_MANY_REQUESTS = 429;

    private final RegistrySettings settings;
    private final HttpClient client;
    private final String authorization;

    RegistryHttp(RegistrySettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1);
        if (settings.trustStore() != null) {
            builder.sslContext(sslContext(settings));
        }
        this.client = builder.build();
        this.authorization = settings.basicAuthUserInfo() == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString(settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    }

    JsonNode get(String path) {
        return send("GET " + path, request(path).GET().build());
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST " + path, request(path).POST(bodyOf(body)).build());
    }

    JsonNode put(String path, JsonNode body) {
        return send("PUT " + path, request(path).PUT(bodyOf(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(settings.requestTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json")
                .header("Content-Type", CONTENT_TYPE);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher bodyOf(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    private JsonNode send(String name, HttpRequest request) {
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Exception cause = null;
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status < 300) {
                    return parse(name, response.body());
                }
                if (status < 500 && status != REQUEST_TIMEOUT && status != TOO_MANY_REQUESTS) {
                    throw refusal(name, status, response.body());
                }
                failure = "HTTP " + status + " " + new String(response.body(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                failure = e.toString();
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(name + " interrupted", e);
            }
            if (attempt >= settings.maxAttempts()) {
                throw new RegistryUnavailableException(name + " at " + RegistrySettings.maskUserInfo(settings.url())
                        + " failed after " + attempt + (attempt == 1 ? " attempt" : " attempts") + ", the last with: "
                        + failure, cause);
            }
            log.warn("Schema registry {} failed, attempt #{} out of {}, retrying in {} ms: {}",
                    name, attempt, settings.maxAttempts(), backoff.toMillis(), failure);
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private static JsonNode parse(String name, byte[] body) {
        try {
            return body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(name + " answered with something other than JSON: "
                    + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    private static RegistryRequestException refusal(String name, int status, byte[] body) {
        int errorCode = status;
        String message = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.has("error_code")) {
                errorCode = error.get("error_code").asInt(status);
                message = error.path("message").asText(message);
            }
        } catch (IOException e) {
            // not the registry's JSON error: keep the body as the message
        }
        return new RegistryRequestException(name, status, errorCode, message);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis()); // the back-off between retries of a synchronous call
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while waiting to retry the schema registry", e);
        }
    }

    private static SSLContext sslContext(RegistrySettings settings) {
        try (InputStream in = Files.newInputStream(settings.trustStore())) {
            KeyStore store = KeyStore.getInstance(settings.trustStoreType());
            char[] password = settings.trustStorePassword() == null ? null : settings.trustStorePassword().toCharArray();
            store.load(in, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("registry trust store " + settings.trustStore() + " cannot be used: "
                    + e.getMessage(), e);
        }
    }
}

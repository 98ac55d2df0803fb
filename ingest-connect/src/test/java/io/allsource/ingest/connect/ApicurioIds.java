package io.allsource.ingest.connect;

import io.allsource.ingest.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.avro.Schema;

/**
 * Apicurio Registry 2 keeps two ids per registered schema: a global id per artifact version and a content id per
 * distinct schema text. Its Confluent API hands out content ids, so that is what the worker writes on the wire, and a
 * converter must look them up as content ids. Apicurio 2.6 draws both from one counter, so for a schema registered
 * once the two are equal and a converter looking up the wrong kind would work by coincidence; this arranges a
 * registry where the wire id resolves only as a content id.
 */
final class ApicurioIds {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ApicurioIds() {
    }

    /**
     * Registers {@code schema} under {@code subject} such that its id is a content id and no global id: first under a
     * spare subject (content id n, global id n), then under {@code subject} (content id n again, a new global id),
     * then deletes the spare subject, which takes global id n with it.
     *
     * @param apiUrl the base of Apicurio's own REST API
     * @return the schema's id in the Confluent API
     */
    static int registerResolvableOnlyAsContentId(SchemaRegistryClient registry, String apiUrl, String subject,
            Schema schema) {
        String spare = "spare-" + UUID.randomUUID() + "-value";
        registry.register(spare, schema);
        int id = registry.register(subject, schema);
        int status = send(HttpRequest.newBuilder(uri(apiUrl + "/groups/default/artifacts/" + encode(spare)))
                .DELETE().build());
        if (status != 204) {
            throw new IllegalStateException("Deleting the spare subject " + spare + " answered " + status);
        }
        return id;
    }

    /** Whether Apicurio knows {@code id} as a content id. */
    static boolean isContentId(String apiUrl, long id) {
        return exists(apiUrl + "/ids/contentIds/" + id);
    }

    /** Whether Apicurio knows {@code id} as a global id. */
    static boolean isGlobalId(String apiUrl, long id) {
        return exists(apiUrl + "/ids/globalIds/" + id);
    }

    private static boolean exists(String url) {
        int status = send(HttpRequest.newBuilder(uri(url)).GET().build());
        if (status != 200 && status != 404) {
            throw new IllegalStateException("GET " + url + " answered " + status);
        }
        return status == 200;
    }

    private static int send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    private static URI uri(String url) {
        return URI.create(url);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}

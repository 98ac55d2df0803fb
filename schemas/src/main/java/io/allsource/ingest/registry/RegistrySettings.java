package io.allsource.ingest.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a Confluent-compatible schema registry.
 *
 * @param url                the base URL of the Confluent API, such as {@code https://registry:8081} or, for Apicurio,
 *                           {@code http://host:8080/apis/ccompat/v7}
 * @param basicAuthUserInfo  {@code user:password} for HTTP basic authentication, or {@code null}; never printed
 * @param trustStore         a trust store for the registry's TLS certificate, or {@code null} for the JVM's default
 * @param trustStorePassword its password, or {@code null}; never printed
 * @param trustStoreType     {@code PKCS12} or {@code JKS}
 * @param requestTimeout     the longest wait for one answer
 * @param maxAttempts        attempts of a request that meets a connection error or a server error (5xx)
 * @param initialBackoff     the pause after the first failed attempt, doubled after each further one up to 5 s
 */
public record RegistrySettings(String url, String basicAuthUserInfo, Path trustStore, String trustStorePassword,
        String trustStoreType, Duration requestTimeout, int maxAttempts, Duration initialBackoff) {

    public RegistrySettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("registry url must start with http:// or https://, got " + url);
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("registry url is not a valid URL: " + url, e);
        }
        if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
            throw new IllegalArgumentException("registry basic auth user info must be user:password");
        }
        if (trustStoreType == null || trustStoreType.isBlank()) {
            throw new IllegalArgumentException("registry trustStoreType is required, such as PKCS12 or JKS");
        }
        if (requestTimeout == null || requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("registry requestTimeout must be a positive duration, got "
                    + requestTimeout);
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("registry initialBackoff must not be negative, got " + initialBackoff);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("registry maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** Plain HTTP, no credentials, 10 s per answer, 3 attempts from a 200 ms back-off. */
    public static RegistrySettings of(String url) {
        return new RegistrySettings(url, null, null, null, "PKCS12", Duration.ofSeconds(10), 3,
                Duration.ofMillis(200));
    }

    public RegistrySettings withBasicAuth(String userInfo) {
        return new RegistrySettings(url, userInfo, trustStore, trustStorePassword, trustStoreType, requestTimeout,
                maxAttempts, initialBackoff);
    }

    public RegistrySettings withTrustStore(Path store, String password, String type) {
        return new RegistrySettings(url, basicAuthUserInfo, store, password, type, requestTimeout, maxAttempts,
                initialBackoff);
    }

    public RegistrySettings withRetries(int attempts, Duration backoff, Duration timeout) {
        return new RegistrySettings(url, basicAuthUserInfo, trustStore, trustStorePassword, trustStoreType, timeout,
                attempts, backoff);
    }

    /** {@code url} with a password in its user info masked, for printing. */
    public static String maskUserInfo(String url) {
        return url == null ? null : url.replaceAll("^(https?://[^/@:]*):[^/@]*@", "$1:****@");
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + maskUserInfo(url) + ", basicAuthUserInfo=" + (basicAuthUserInfo == null ? "null" : "****")
                + ", trustStore=" + trustStore + ", trustStorePassword="
                + (trustStorePassword == null ? "null" : "****") + ", trustStoreType=" + trustStoreType
                + ", requestTimeout=" + requestTimeout + ", maxAttempts=" + maxAttempts + ", initialBackoff="
                + initialBackoff + "]";
    }
}

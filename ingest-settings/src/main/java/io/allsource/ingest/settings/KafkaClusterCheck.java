package io.allsource.ingest.settings;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Asks the Kafka cluster who it is before a component starts its clients, so that a cluster that refuses it
 * (authentication, TLS, authorization), an unknown host or a broker that does not answer is reported at once in one
 * line with the cluster's own reason and the fix, instead of clients retrying in the background. Stateless.
 */
public final class KafkaClusterCheck {

    /** How long the cluster has to answer at start. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private KafkaClusterCheck() {
    }

    /**
     * An admin client on the cluster, after checking that the cluster answers it.
     *
     * @throws ConfigException with the reason and the fix when it cannot be created or the cluster does not answer
     */
    public static Admin connect(Map<String, Object> kafka, Duration timeout) {
        String servers = String.valueOf(kafka.get("bootstrap.servers"));
        Admin admin;
        try {
            admin = Admin.create(kafka);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigException("Kafka at " + servers + " cannot be used: " + cause.getMessage() + "; check "
                    + CommonKeys.BOOTSTRAP_SERVERS.spellings() + " (host names must resolve)", e);
        }
        try {
            check(admin, servers, timeout);
            return admin;
        } catch (RuntimeException e) {
            admin.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Describes the cluster with {@code admin}.
     *
     * @throws ConfigException with the cluster's reason and the fix
     */
    public static void check(Admin admin, String servers, Duration timeout) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ConfigException(describe(servers, e.getCause(), timeout), e.getCause());
        } catch (TimeoutException e) {
            throw new ConfigException(describe(servers, e, timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("Interrupted while asking Kafka at " + servers + " for its cluster id", e);
        }
    }

    static String describe(String servers, Throwable failure, Duration timeout) {
        String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (failure instanceof SslAuthenticationException) {
            return "Kafka at " + servers + " refused the TLS handshake (" + reason + "); check kafka.security.protocol"
                    + " and kafka.ssl.* (trust store, key store)";
        }
        if (failure instanceof AuthenticationException) {
            return "Kafka at " + servers + " refused the credentials (" + reason + "); check kafka.security.protocol,"
                    + " kafka.sasl.mechanism and kafka.sasl.jaas.config";
        }
        if (failure instanceof AuthorizationException) {
            return "Kafka at " + servers + " refused access (" + reason + "); grant the principal access to the"
                    + " cluster, the pipeline's topics and its group";
        }
        if (failure instanceof UnsupportedVersionException) {
            return "Kafka at " + servers + " does not support this client (" + reason + "); upgrade the brokers";
        }
        if (failure instanceof TimeoutException
                || failure instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "No Kafka broker answered at " + servers + " within " + timeout.toSeconds() + " s; check "
                    + CommonKeys.BOOTSTRAP_SERVERS.spellings() + " (host and port) and kafka.security.protocol";
        }
        return "Kafka at " + servers + " cannot be used (" + reason + "); check "
                + CommonKeys.BOOTSTRAP_SERVERS.spellings() + " and the kafka.* security settings";
    }
}

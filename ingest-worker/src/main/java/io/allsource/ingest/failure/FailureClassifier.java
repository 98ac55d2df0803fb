package io.allsource.ingest.failure;

import io.allsource.ingest.registry.RegistryRequestException;
import io.allsource.ingest.registry.RegistryUnavailableException;
import io.allsource.ingest.serde.UndecodableRecordException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one place where a failure of any step is sorted into a {@link FailureKind}, by exception type and SQLState,
 * never by message text. The cause chain is walked from the outside in, and the first exception that tells decides:
 * a wrapper of ours ({@code StoreException}, {@code PublishException}) defers to what it wraps. A failure nothing
 * recognises counts as transient; {@link FailureStreak} turns one that repeats identically while other partitions
 * progress into a failure of the record. Thread-safe (stateless).
 */
public final class FailureClassifier {

    private static final int MAX_CAUSES = 32;

    private FailureClassifier() {
    }

    /** The kind of {@code failure}. */
    public static FailureKind classify(Throwable failure) {
        for (Throwable t : causes(failure)) {
            Optional<FailureKind> kind = kindOf(t);
            if (kind.isPresent()) {
                return kind.get();
            }
        }
        return FailureKind.TRANSIENT;
    }

    /**
     * What makes two failures "the same" for {@link FailureStreak}: the innermost cause's type, with its SQLState when
     * it has one. Messages are left out, since they carry values (offsets, times) that change between attempts.
     */
    public static String signature(Throwable failure) {
        Throwable innermost = failure;
        String sqlState = null;
        for (Throwable t : causes(failure)) {
            innermost = t;
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                sqlState = sql.getSQLState();
            }
        }
        return innermost.getClass().getName() + (sqlState == null ? "" : " SQLState " + sqlState);
    }

    /**
     * Whether {@code failure} is an outage by its type: a dependency that cannot be reached or is shutting down or out
     * of resources (SQLState classes 08, 53 and 57P01-57P03; the registry unreachable; Kafka's network errors and
     * timeouts). Such a failure is never a record's fault, however long it repeats, while other partitions (whose
     * schemas are cached, whose connections survived) progress; {@link FailureStreak} never promotes it.
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t : causes(failure)) {
            if (t instanceof RegistryUnavailableException || t instanceof NetworkException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("08") || state.startsWith("53") || state.equals("57P01")
                        || state.equals("57P02") || state.equals("57P03");
            }
        }
        return false;
    }

    /** The SQLState of the first {@link SQLException} in the cause chain, or null. */
    public static String sqlState(Throwable failure) {
        for (Throwable t : causes(failure)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static Iterable<Throwable> causes(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < MAX_CAUSES && seen.put(t, true) == null;
                t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static Optional<FailureKind> kindOf(Throwable t) {
        if (t instanceof SQLException sql) {
            return Optional.of(SqlStates.kindOf(sql.getSQLState()));
        }
        if (t instanceof Error) {
            return Optional.of(FailureKind.FATAL);
        }
        if (t instanceof UndecodableRecordException) {
            return Optional.of(FailureKind.PERMANENT_FOR_RECORD);
        }
        if (t instanceof RegistryUnavailableException) {
            return Optional.of(FailureKind.TRANSIENT);
        }
        if (t instanceof RegistryRequestException) {
            // The registry refused the worker's own request (its subjects, its credentials): a deployment fault.
            return Optional.of(FailureKind.FATAL);
        }
        return kafkaKindOf(t);
    }

    private static Optional<FailureKind> kafkaKindOf(Throwable t) {
        if (t instanceof RetriableException) {
            return Optional.of(FailureKind.TRANSIENT);
        }
        if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                || t instanceof InvalidRecordException || t instanceof InvalidTopicException
                || t instanceof InvalidTimestampException || t instanceof SerializationException
                || t instanceof PolicyViolationException || t instanceof UnsupportedForMessageFormatException) {
            return Optional.of(FailureKind.PERMANENT_FOR_RECORD);
        }
        if (t instanceof AuthenticationException || t instanceof AuthorizationException
                || t instanceof UnsupportedVersionException || t instanceof FencedInstanceIdException
                || t instanceof ProducerFencedException || t instanceof ConfigException
                || t instanceof InvalidConfigurationException || t instanceof InvalidRequiredAcksException
                || t instanceof UnsupportedCompressionTypeException) {
            return Optional.of(FailureKind.FATAL);
        }
        return Optional.empty();
    }
}

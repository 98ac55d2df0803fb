package io.allsource.ingest.views.topology;

import io.allsource.ingest.serde.UndecodableRecordException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts failures to read a record of the events topic: bytes that can never decode (the record is poison) are logged,
 * counted and skipped, so that the views never stall; anything else, such as a schema registry that cannot be reached,
 * fails the stream thread, which the application replaces so that the record is read again.
 */
public final class UndecodableEventHandler implements DeserializationExceptionHandler {

    /** The configuration key under which the application passes its {@link ViewsMetrics}. */
    public static final String METRICS_CONFIG = "ingest.views.metrics";

    private static final Logger log = LoggerFactory.getLogger(UndecodableEventHandler.class);

    private ViewsMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        Object given = configs.get(METRICS_CONFIG);
        this.metrics = given instanceof ViewsMetrics viewsMetrics ? viewsMetrics : null;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        UndecodableRecordException undecodable = undecodable(exception);
        if (undecodable == null) {
            log.error("Cannot read {}-{}@{}; the stream thread stops and is replaced to read it again",
                    context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        log.warn("Skipped undecodable record {}-{}@{} ({}): {}", context.topic(), context.partition(),
                context.offset(), undecodable.problem(), undecodable.getMessage());
        if (metrics != null) {
            metrics.skip("undecodable");
        }
        return Response.resume();
    }

    private static UndecodableRecordException undecodable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof UndecodableRecordException found) {
                return found;
            }
        }
        return null;
    }
}

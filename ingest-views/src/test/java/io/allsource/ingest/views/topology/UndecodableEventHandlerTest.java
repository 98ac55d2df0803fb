package io.allsource.ingest.views.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.registry.RegistryUnavailableException;
import io.allsource.ingest.serde.UndecodableRecordException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class UndecodableEventHandlerTest {

    private final ViewsMetrics metrics = new ViewsMetrics(new SimpleMeterRegistry());
    private final UndecodableEventHandler handler = new UndecodableEventHandler();
    private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("ingest.events", 3, 42L, null,
            new byte[] {9});

    UndecodableEventHandlerTest() {
        handler.configure(Map.of(UndecodableEventHandler.METRICS_CONFIG, metrics));
    }

    @Test
    void skipsAndCountsARecordThatCanNeverDecode() {
        Response response = handler.handleError(context(), record, new SerializationException("wrapped",
                new UndecodableRecordException(UndecodableRecordException.Problem.WRONG_MAGIC_BYTE, "0x09")));

        assertThat(response.result()).isEqualTo(Result.RESUME);
        assertThat(metrics.skippedCount("undecodable")).isEqualTo(1);
    }

    @Test
    void failsOnAnUnreachableRegistrySoThatTheRecordIsReadAgain() {
        Response response = handler.handleError(context(), record,
                new RegistryUnavailableException("registry down", null));

        assertThat(response.result()).isEqualTo(Result.FAIL);
        assertThat(metrics.skippedCount("undecodable")).isZero();
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return "ingest.events";
            }

            @Override
            public int partition() {
                return 3;
            }

            @Override
            public long offset() {
                return 42;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "events";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 3);
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return null;
            }

            @Override
            public byte[] sourceRawValue() {
                return new byte[] {9};
            }
        };
    }
}

package io.allsource.ingest.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.registry.RegistryRequestException;
import io.allsource.ingest.registry.RegistryUnavailableException;
import io.allsource.ingest.serde.UndecodableRecordException;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.store.TransientStoreException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @ParameterizedTest(name = "SQLState {0} is {1}")
    @CsvSource({
            "08006, TRANSIENT", "08001, TRANSIENT", "40001, TRANSIENT", "40P01, TRANSIENT", "53100, TRANSIENT",
            "53300, TRANSIENT", "57P01, TRANSIENT", "57014, TRANSIENT", "55P03, TRANSIENT", "25P03, TRANSIENT",
            "22021, PERMANENT_FOR_RECORD", "22P05, PERMANENT_FOR_RECORD", "22001, PERMANENT_FOR_RECORD",
            "23514, PERMANENT_FOR_RECORD", "54000, PERMANENT_FOR_RECORD",
            "28P01, FATAL", "28000, FATAL", "3D000, FATAL", "42P01, FATAL", "42501, FATAL", "0A000, FATAL",
            "XX000, TRANSIENT"})
    void sortsSqlFailuresBySqlState(String state, FailureKind kind) {
        SQLException failure = new SQLException("anything", state);

        assertThat(FailureClassifier.classify(failure)).isEqualTo(kind);
        assertThat(FailureClassifier.classify(new StoreException("Batch failed", failure))).isEqualTo(kind);
    }

    @Test
    void sortsByTheSqlStateEvenWhenTheStoreCalledTheFailureTransient() {
        SQLException refused = new SQLException("invalid byte sequence", "22021");

        assertThat(FailureClassifier.classify(new TransientStoreException("x", refused)))
                .isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
    }

    @Test
    void takesASqlFailureWithoutStateAsTransient() {
        assertThat(FailureClassifier.classify(new SQLTransientConnectionException("pool timed out")))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void sortsKafkaOutagesAsTransient() {
        assertThat(FailureClassifier.classify(new NotLeaderOrFollowerException("moved")))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new NotEnoughReplicasException("isr"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new TimeoutException("slow"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new NetworkException("reset"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.classify(new UnknownTopicOrPartitionException("not yet")))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void sortsRecordsTheBrokerRefusesAsPermanentForTheRecord() {
        assertThat(FailureClassifier.classify(new RecordTooLargeException("big")))
                .isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
        assertThat(FailureClassifier.classify(new RecordBatchTooLargeException("big")))
                .isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
        assertThat(FailureClassifier.classify(new InvalidRecordException("compacted topic needs a key")))
                .isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
        assertThat(FailureClassifier.classify(new SerializationException("unencodable")))
                .isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
        assertThat(FailureClassifier.classify(new UndecodableRecordException(
                UndecodableRecordException.Problem.MALFORMED_AVRO, "bad"))).isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
    }

    @Test
    void sortsWhatNoRetryCanFixAsFatal() {
        assertThat(FailureClassifier.classify(new TopicAuthorizationException("no"))).isEqualTo(FailureKind.FATAL);
        assertThat(FailureClassifier.classify(new GroupAuthorizationException("no"))).isEqualTo(FailureKind.FATAL);
        assertThat(FailureClassifier.classify(new SaslAuthenticationException("no"))).isEqualTo(FailureKind.FATAL);
        assertThat(FailureClassifier.classify(new UnsupportedVersionException("old"))).isEqualTo(FailureKind.FATAL);
        assertThat(FailureClassifier.classify(new FencedInstanceIdException("twin"))).isEqualTo(FailureKind.FATAL);
        assertThat(FailureClassifier.classify(new RegistryRequestException("GET /subjects/x", 404, 40401,
                "Subject not found"))).isEqualTo(FailureKind.FATAL);
        assertThat(FailureClassifier.classify(new OutOfMemoryError())).isEqualTo(FailureKind.FATAL);
    }

    @Test
    void sortsAnUnreachableRegistryAsTransient() {
        assertThat(FailureClassifier.classify(new RegistryUnavailableException("GET /schemas/ids/1", null)))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void looksThroughWrappersToTheCause() {
        PublishException wrapped = new PublishException("Publishing partition 3 failed",
                new ExecutionException(new RecordTooLargeException("big")));

        assertThat(FailureClassifier.classify(wrapped)).isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
    }

    @Test
    void takesWhatItDoesNotKnowAsTransient() {
        assertThat(FailureClassifier.classify(new IllegalStateException("a bug"))).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void signatureNamesTheInnermostCauseAndItsSqlStateButNoMessage() {
        String first = FailureClassifier.signature(new StoreException("Batch of 3 commands failed at offset 7",
                new SQLException("value 1", "22021")));
        String second = FailureClassifier.signature(new StoreException("Batch of 9 commands failed at offset 12",
                new SQLException("value 2", "22021")));

        assertThat(first).isEqualTo(second).isEqualTo("java.sql.SQLException SQLState 22021");
    }

    @Test
    void survivesACauseCycle() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b);

        assertThat(FailureClassifier.classify(a)).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureClassifier.signature(a)).isNotBlank();
    }
}

package io.allsource.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.StreamOperationKind;
import org.junit.jupiter.api.Test;

/** The commands {@link IngestClient#delete} and {@link IngestClient#erase} send, and the key they go under. */
class StreamOperationCommandTest {

    @Test
    void aDeleteCarriesNoAppendsAndIsKeyedByItsStreamUnlessAPartitionKeyIsGiven() {
        ExpectedVersion exact = new ExpectedVersion(ExpectedVersionKind.EXACT, 3L);
        AppendCommand delete = IngestClient.streamOperation("tenant-1", "acct-1", null, StreamOperationKind.DELETE,
                exact);
        AppendCommand keyed = IngestClient.streamOperation("tenant-1", "acct-1", "acct", StreamOperationKind.ERASE,
                exact);

        assertThat(delete.getAppends()).isEmpty();
        assertThat(delete.getStreamOperation().getOperation()).isEqualTo(StreamOperationKind.DELETE);
        assertThat(delete.getStreamOperation().getExpectedVersion()).isEqualTo(exact);
        assertThat(IngestClient.commandIdViolation(delete.getCommandId())).isEmpty();
        assertThat(IngestClient.keyOf(delete)).isEqualTo("acct-1");
        assertThat(IngestClient.keyOf(keyed)).isEqualTo("acct");
    }
}

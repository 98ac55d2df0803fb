package io.allsource.ingest.testkit;

// README example start
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.testing.Backend;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadmeExampleIT {

    @RegisterExtension
    static final IngestPipelineExtension PIPELINE = IngestPipelineExtension.builder()
            .backend(Backend.configured(Backend.IN_JVM)) // -Dingest.test.backend=testcontainers for containers
            .build();

    @Test
    void placesAnOrderOnceAndRefusesAStaleWrite(IngestClient client, IngestPipeline pipeline) {
        CommandResult placed = client.append(Command.of("tenant-a").append(Append.to("order-7")
                .expectingNoStream().event("OrderPlaced", "order-7", "{\"total\":10}"))).join();
        CommandResult stale = client.append(Command.of("tenant-a").append(Append.to("order-7")
                .expectingNoStream().event("OrderPlaced", "order-7", "{\"total\":12}"))).join();

        assertThat(placed.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(stale.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(stale.getReason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        List<EventRecord> events = pipeline.events().awaitEvents("order-7", 1);
        assertThat(events.get(0).getPayload()).isEqualTo("{\"total\": 10}");
    }
}
// README example end

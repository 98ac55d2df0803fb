package io.allsource.ingest.client.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.StreamAppend;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommandTest {

    @Test
    void buildsTheCommandWithItsTenantAndAppendsInOrder() {
        AppendCommand command = Command.of("tenant-1")
                .append(Append.to("order-42").expectingNoStream().event("OrderPlaced", "order-42", "{}"))
                .append(Append.to("invoice-42").event("InvoiceDrafted", "invoice-42", "{}"))
                .build();

        assertThat(command.getTenantId()).isEqualTo("tenant-1");
        assertThat(command.getAppends()).extracting(StreamAppend::getStreamId)
                .containsExactly("order-42", "invoice-42");
        assertThat(command.getPartitionKey()).as("defaults to the first stream on the worker's side").isNull();
    }

    @Test
    void givesEveryBuildANewRandomUuidUnlessAnIdIsGiven() {
        Command command = Command.of("t").append(Append.to("s").event("T", "e", "{}"));

        String first = command.build().getCommandId();
        String second = command.build().getCommandId();

        assertThat(UUID.fromString(first).toString()).isEqualTo(first);
        assertThat(UUID.fromString(first).version()).isEqualTo(4);
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void keepsAGivenCommandIdAcrossBuilds() {
        UUID id = UUID.randomUUID();
        Command command = Command.of("t").commandId(id).append(Append.to("s").event("T", "e", "{}"));

        assertThat(command.build().getCommandId()).isEqualTo(id.toString());
        assertThat(command.build().getCommandId()).isEqualTo(id.toString());
    }

    @Test
    void isIssuedNowToTheMillisecond() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        Instant issuedAt = Command.of("t").append(Append.to("s").event("T", "e", "{}")).build().getIssuedAt();

        assertThat(issuedAt).isBetween(before, Instant.now());
        assertThat(issuedAt.getNano() % 1_000_000).isZero();
    }

    @Test
    void carriesThePartitionKeyAndGoesBackToTheDefaultOnNull() {
        Command command = Command.of("t").partitionKey("customer-7").append(Append.to("s").event("T", "e", "{}"));

        assertThat(command.build().getPartitionKey()).isEqualTo("customer-7");
        assertThat(command.partitionKey(null).build().getPartitionKey()).isNull();
    }

    @Test
    void refusesAnEmptyTenantOrPartitionKeyNamingTheField() {
        assertThatThrownBy(() -> Command.of("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tenant_id must not be null or empty");
        assertThatThrownBy(() -> Command.of("t").partitionKey("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition_key must not be null or empty");
        assertThatThrownBy(() -> Command.of("t").commandId(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command_id must not be null");
    }

    @Test
    void refusesToBuildACommandWithoutAppends() {
        assertThatThrownBy(() -> Command.of("t").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("appends must hold at least one append");
    }

    @Test
    void refusesToBuildACommandWithAnAppendWithoutEvents() {
        Command command = Command.of("t").append(Append.to("order-1").event("T", "e", "{}")).append(Append.to("empty"));

        assertThatThrownBy(command::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events of stream empty");
    }
}

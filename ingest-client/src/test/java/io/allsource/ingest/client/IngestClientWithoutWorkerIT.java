package io.allsource.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client on real topics that no worker reads: timeouts, closing, and a missing results topic. */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestClientWithoutWorkerIT {

    private final KafkaBroker broker;
    private final TestSchemaRegistry registry;
    private final TestPipeline unanswered;

    IngestClientWithoutWorkerIT(KafkaBroker broker, TestSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        this.unanswered = TestPipeline.withoutWorker(broker, registry);
    }

    @AfterAll
    void close() {
        unanswered.close();
    }

    @Test
    void anUnansweredAppendFailsWithResultTimeoutExceptionAfterItsTimeout() {
        Duration timeout = Duration.ofSeconds(2);
        try (IngestClient client = new IngestClient(unanswered.clientSettings(Duration.ofMinutes(5)))) {
            AppendCommand command = command();

            long started = System.nanoTime();
            CompletableFuture<CommandResult> future = client.append(command, timeout);
            Throwable failure = catchThrowable(future::join);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            assertThat(failure).isInstanceOf(CompletionException.class);
            assertThat(failure.getCause()).isInstanceOfSatisfying(ResultTimeoutException.class, timedOut -> {
                assertThat(timedOut.commandId()).isEqualTo(command.getCommandId());
                assertThat(timedOut.timeout()).isEqualTo(timeout);
                assertThat(timedOut).hasMessageContaining(command.getCommandId()).hasMessageContaining("PT2S");
            });
            assertThat(elapsed).isBetween(timeout.minusMillis(100), timeout.plusSeconds(8));
            assertThat(client.pendingCount()).isZero();
        }
    }

    @Test
    void anAppendWithoutItsOwnTimeoutWaitsTheClientsTimeout() {
        Duration clientTimeout = Duration.ofMillis(1500);
        try (IngestClient client = new IngestClient(unanswered.clientSettings(clientTimeout))) {
            long started = System.nanoTime();
            Throwable failure = catchThrowable(client.append(command())::join);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            assertThat(failure).cause().isInstanceOf(ResultTimeoutException.class).hasMessageContaining("PT1.5S");
            assertThat(elapsed).isBetween(clientTimeout.minusMillis(100), clientTimeout.plusSeconds(8));
        }
    }

    @Test
    void closeFailsEveryWaitingAppendAndIsIdempotent() {
        IngestClient client = new IngestClient(unanswered.clientSettings(Duration.ofMinutes(5)));
        List<AppendCommand> commands = List.of(command(), command(), command());
        List<CompletableFuture<CommandResult>> waiting = commands.stream().map(client::append).toList();
        assertThat(client.pendingCount()).isEqualTo(commands.size());
        assertThat(waiting).allSatisfy(future -> assertThat(future).isNotDone());

        client.close();
        client.close();

        for (int i = 0; i < commands.size(); i++) {
            CompletableFuture<CommandResult> future = waiting.get(i);
            assertThat(future).isCompletedExceptionally();
            assertThat(catchThrowable(future::join)).cause().isInstanceOf(ClientClosedException.class)
                    .hasMessageContaining("closed").hasMessageContaining(commands.get(i).getCommandId());
        }
        assertThat(client.pendingCount()).isZero();
        assertThat(catchThrowable(client.append(command())::join)).cause().isInstanceOf(ClientClosedException.class);
    }

    @Test
    void refusesToStartWhenTheResultsTopicDoesNotExist() {
        IngestTopics missing = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("missing") + ".");
        ClientSettings settings = ClientSettings.of(Map.of("bootstrap.servers", broker.bootstrapServers()),
                RegistrySettings.of(registry.url())).withTopics(missing).withAutoRegisterSchemas(true);

        assertThatThrownBy(() -> new IngestClient(settings).close())
                .isInstanceOf(IngestClientException.class)
                .hasMessageContaining(missing.results());
    }

    private static AppendCommand command() {
        String stream = "nobody-reads-" + UUID.randomUUID();
        return Command.of("tenant-1").append(Append.to(stream).event("Happened", stream, "{}")).build();
    }
}

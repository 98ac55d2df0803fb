package io.allsource.ingest.client;

import static io.allsource.ingest.client.Results.accepted;
import static io.allsource.ingest.client.Results.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client on Kafka's mock producer and a mock results consumer: sending, matching, failing, closing. */
class IngestClientTest {

    private static final IngestTopics TOPICS = IngestTopics.DEFAULT.withPrefix("unit.");
    private static final ClientSettings SETTINGS = ClientSettings.of(Map.of("bootstrap.servers", "unused:9092"),
            RegistrySettings.of("http://unused:8081")).withTopics(TOPICS);
    private static final Duration LONG = Duration.ofMinutes(5);

    private final MockProducer<String, AppendCommand> producer =
            new MockProducer<>(true, null, new StringSerializer(), (topic, command) -> new byte[0]);
    private final BlockingMockConsumer results = new BlockingMockConsumer(TOPICS.results(), 32);
    private final AtomicInteger decoded = new AtomicInteger();
    private IngestClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void sendsTheCommandToTheCommandsTopicKeyedByItsPartitionKey() {
        client = start(producer);
        AppendCommand command = Command.of("t").partitionKey("customer-7")
                .append(Append.to("order-7").event("T", "order-7", "{}")).build();

        client.append(command, LONG);

        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(TOPICS.commands());
            assertThat(record.key()).isEqualTo("customer-7");
            assertThat(record.value()).isSameAs(command);
        });
    }

    @Test
    void sendsACommandsTraceContextAsW3cHeaders() {
        client = start(producer);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        client.append(Command.of("t").traceContext(traceparent, "rojo=00f067aa0ba902b7")
                .append(Append.to("order-9").event("T", "e", "{}")), LONG);
        client.append(Command.of("t").append(Append.to("order-10").event("T", "e", "{}")), LONG);

        assertThat(producer.history()).hasSize(2);
        assertThat(header(producer.history().get(0), IngestHeaders.TRACEPARENT)).isEqualTo(traceparent);
        assertThat(header(producer.history().get(0), IngestHeaders.TRACESTATE)).isEqualTo("rojo=00f067aa0ba902b7");
        assertThat(producer.history().get(1).headers().toArray()).as("none without a trace context").isEmpty();
    }

    @Test
    void sendsNoTraceHeadersForAMalformedTraceparentAndStillSendsTheCommand() {
        client = start(producer);

        client.append(Command.of("t").traceContext("00-not-a-trace-01", "rojo=1")
                .append(Append.to("order-11").event("T", "e", "{}")), LONG);

        assertThat(producer.history()).singleElement()
                .satisfies(record -> assertThat(record.headers().toArray()).isEmpty());
    }

    private static String header(ProducerRecord<String, AppendCommand> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.US_ASCII);
    }

    @Test
    void keysACommandWithoutPartitionKeyByItsFirstStream() {
        client = start(producer);

        client.append(Command.of("t")
                .append(Append.to("order-8").event("T", "e", "{}"))
                .append(Append.to("invoice-8").event("T", "e", "{}")), LONG);

        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("order-8");
    }

    @Test
    void completesTheFutureWithTheResultOfItsCommandIdOnly() {
        client = start(producer);
        AppendCommand command = command();
        CompletableFuture<CommandResult> future = client.append(command, LONG);

        results.deliver(encode(accepted("someone-else")), null);
        results.deliver(encode(accepted(command.getCommandId())), command.getCommandId());

        assertThat(future).succeedsWithin(Duration.ofSeconds(10))
                .extracting(CommandResult::getCommandId).isEqualTo(command.getCommandId());
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void skipsResultsAnnouncedForOtherCommandsWithoutDecodingThem() {
        client = start(producer);
        AppendCommand command = command();
        CompletableFuture<CommandResult> future = client.append(command, LONG);

        results.deliver(encode(accepted("foreign-1")), "foreign-1");
        results.deliver(encode(accepted("foreign-2")), "foreign-2");
        results.deliver(encode(accepted(command.getCommandId())), command.getCommandId());

        assertThat(future).succeedsWithin(Duration.ofSeconds(10));
        assertThat(decoded).as("only the awaited result is decoded").hasValue(1);
    }

    @Test
    void skipsAnUndecodableResultAndKeepsReading() {
        client = start(producer);
        AppendCommand command = command();
        CompletableFuture<CommandResult> future = client.append(command, LONG);

        results.deliver(new byte[] {1, 2, 3}, command.getCommandId());
        results.deliver(encode(accepted(command.getCommandId())), command.getCommandId());

        assertThat(future).succeedsWithin(Duration.ofSeconds(10))
                .extracting(CommandResult::getCommandId).isEqualTo(command.getCommandId());
    }

    @Test
    void failsTheFutureWithTheCauseWhenSendingFails() {
        MockProducer<String, AppendCommand> manual =
                new MockProducer<>(false, null, new StringSerializer(), (topic, command) -> new byte[0]);
        client = start(manual);
        CompletableFuture<CommandResult> future = client.append(command(), LONG);
        KafkaException cause = new KafkaException("broker said no");

        manual.errorNext(cause);

        assertThat(catchThrowable(future::join)).cause().isSameAs(cause);
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void failsTheFutureWhenTheProducerRefusesTheSendOutright() {
        client = start(producer);
        KafkaException cause = new KafkaException("cannot serialize");
        producer.sendException = cause;

        CompletableFuture<CommandResult> future = client.append(command(), LONG);

        assertThat(catchThrowable(future::join)).cause().isSameAs(cause);
    }

    @Test
    void failsEveryWaitingFutureWhenTheResultsConsumerFails() {
        client = start(producer);
        CompletableFuture<CommandResult> waiting = client.append(command(), LONG);

        results.setPollException(new AuthorizationException("not allowed to read results"));

        assertThat(catchThrowable(waiting::join)).cause().isInstanceOf(ResultListenerFailedException.class)
                .hasMessageContaining("not allowed to read results");
        CompletableFuture<CommandResult> later = client.append(command(), LONG);
        assertThat(catchThrowable(later::join)).cause().isInstanceOf(ResultListenerFailedException.class);
    }

    @Test
    void failsTheFutureNamingWriteOnTheCommandsTopicWhenTheBrokerRefusesTheSend() {
        MockProducer<String, AppendCommand> manual =
                new MockProducer<>(false, null, new StringSerializer(), (topic, command) -> new byte[0]);
        client = start(manual);
        CompletableFuture<CommandResult> future = client.append(command(), LONG);
        TopicAuthorizationException refused = new TopicAuthorizationException(Set.of(TOPICS.commands()));

        manual.errorNext(refused);

        assertThat(catchThrowable(future::join)).cause().isInstanceOf(BrokerRefusedException.class)
                .hasMessage("the broker refused WRITE on topic 'unit.ingest.commands' (sending commands)")
                .hasCause(refused);
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void failsEveryAppendAtOnceNamingReadOnTheResultsTopicWhenTheBrokerRefusesReadingIt() {
        client = start(producer);
        AppendCommand command = command();
        CompletableFuture<CommandResult> waiting = client.append(command, LONG);

        results.setPollException(new TopicAuthorizationException(Set.of(TOPICS.results())));

        assertThat(catchThrowable(waiting::join)).cause().isInstanceOf(ResultListenerFailedException.class)
                .hasMessage("Ingest client stopped reading results, so the result of command "
                        + command.getCommandId() + " cannot arrive: the broker refused READ on topic"
                        + " 'unit.ingest.results' (reading results)")
                .cause().isInstanceOf(BrokerRefusedException.class);
        CompletableFuture<CommandResult> later = client.append(command(), LONG);
        assertThat(later).as("failed at once, not after its timeout").isCompletedExceptionally();
        assertThat(catchThrowable(later::join)).cause().hasMessageEndingWith("the broker refused READ on topic"
                + " 'unit.ingest.results' (reading results)");
    }

    @Test
    void refusesToStartNamingDescribeOnTheResultsTopicWhenTheBrokerRefusesIt() {
        MockConsumer<byte[], byte[]> refusing = new MockConsumer<>("latest") {
            @Override
            public synchronized List<PartitionInfo> partitionsFor(String topic) {
                throw new TopicAuthorizationException(Set.of(topic));
            }
        };

        assertThatThrownBy(() -> new IngestClient(SETTINGS, producer, refusing, Results.deserializer()))
                .isInstanceOf(BrokerRefusedException.class)
                .hasMessage("the broker refused DESCRIBE on topic 'unit.ingest.results' (finding the end of the"
                        + " results topic)");
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void closeFailsWaitingFuturesClosesTheClientsAndIsIdempotent() {
        client = start(producer);
        AppendCommand command = command();
        CompletableFuture<CommandResult> waiting = client.append(command, LONG);

        client.close();
        client.close();

        assertThat(catchThrowable(waiting::join)).cause().isInstanceOf(ClientClosedException.class)
                .hasMessageContaining(command.getCommandId());
        assertThat(producer.closed()).isTrue();
        assertThat(results.closed()).isTrue();
        assertThat(catchThrowable(client.append(command(), LONG)::join)).cause()
                .isInstanceOf(ClientClosedException.class);
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void refusesToStartWithoutAResultsTopicAndClosesItsClients() {
        BlockingMockConsumer elsewhere = new BlockingMockConsumer("other-topic", 1);

        assertThatThrownBy(() -> new IngestClient(SETTINGS, producer, elsewhere, Results.deserializer()))
                .isInstanceOf(IngestClientException.class)
                .hasMessageContaining(TOPICS.results()).hasMessageContaining("topics.results");
        assertThat(producer.closed()).isTrue();
        assertThat(elsewhere.closed()).isTrue();
    }

    @Test
    void refusesACommandWithoutAUuidCommandIdOrAPositiveTimeout() {
        client = start(producer);
        AppendCommand noId = command();
        noId.setCommandId(null);

        assertThatThrownBy(() -> client.append(noId, LONG)).hasMessage("command_id must be set");
        AppendCommand notUuid = command();
        notUuid.setCommandId("order-42");
        assertThatThrownBy(() -> client.append(notUuid, LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("command_id 'order-42' is not a UUID");
        assertThatThrownBy(() -> client.append(command(), Duration.ofSeconds(-1)))
                .hasMessageStartingWith("timeout must be a positive duration");
        assertThat(producer.history()).isEmpty();
    }

    private IngestClient start(MockProducer<String, AppendCommand> commands) {
        Deserializer<CommandResult> counting = (topic, bytes) -> {
            decoded.incrementAndGet();
            return Results.deserializer().deserialize(topic, bytes);
        };
        return new IngestClient(SETTINGS, commands, results, counting);
    }

    private static AppendCommand command() {
        return Command.of("t").append(Append.to("stream-" + System.nanoTime()).event("T", "e", "{}")).build();
    }

}

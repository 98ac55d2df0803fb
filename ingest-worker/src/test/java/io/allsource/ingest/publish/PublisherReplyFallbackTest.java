package io.allsource.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A result whose reply route the broker cannot take goes to the results topic with {@code ingest-reply-error}; the
 * pipeline's own topics and Kafka's internal ones are never reply routes; an outage is retried, not routed around.
 */
class PublisherReplyFallbackTest {

    private static final IngestTopics TOPICS = IngestTopics.DEFAULT;
    private static final byte[] BINARY_CORRELATION = {0x00, (byte) 0xff, (byte) 0x80, 0x7f, 0x01};

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final MockAdminClient admin = new MockAdminClient(List.of(new Node(0, "localhost", 9092)),
            new Node(0, "localhost", 9092));
    private final Publisher publisher;

    PublisherReplyFallbackTest() {
        Node node = new Node(0, "localhost", 9092);
        admin.addTopic(false, "replies", List.of(new TopicPartitionInfo(0, node, List.of(node), List.of(node)),
                new TopicPartitionInfo(1, node, List.of(node), List.of(node))), Map.of());
        Serializer<io.allsource.ingest.avro.CommandResult> results = (topic, result) ->
                result.getCommandId().getBytes(StandardCharsets.UTF_8);
        Serializer<EventRecord> events = (topic, event) -> new byte[0];
        publisher = new Publisher(producer, TOPICS, results, events,
                new ReplyTopics(admin, Duration.ofMinutes(1), Duration.ofSeconds(5)), Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void sendsAResultTheReplyTopicRefusesToTheResultsTopicSayingWhatWasRefused() {
        Publication publication = publisher.send(3, List.of(routed("replies", 1)), List.of());
        CompletableFuture<Void> awaited = CompletableFuture.runAsync(() -> publisher.awaitAll(publication));

        producer.errorNext(new RecordTooLargeException("The message is 420 bytes"));
        Awaitility.await().alias("the fallback is sent").until(() -> producer.history().size() == 2);
        producer.completeNext();
        awaited.join();

        ProducerRecord<byte[], byte[]> fallback = producer.history().get(1);
        assertThat(fallback.topic()).isEqualTo(TOPICS.results());
        assertThat(fallback.partition()).isEqualTo(3);
        assertThat(header(fallback, IngestHeaders.REPLY_ERROR)).isEqualTo(("the broker refused the result for reply"
                + " topic replies: RecordTooLargeException: The message is 420 bytes")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(header(fallback, IngestHeaders.CORRELATION_ID)).isEqualTo(BINARY_CORRELATION);
        assertThat(fallback.key()).isEqualTo("order-42".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fallsBackWhenTheReplyTopicNeedsAKeyNamingKafkasException() {
        String replyError = fallbackAfter(new InvalidRecordException("Compacted topic cannot accept message without"
                + " key"));

        assertThat(replyError).isEqualTo("the broker refused the result for reply topic replies:"
                + " InvalidRecordException: Compacted topic cannot accept message without key");
    }

    @Test
    void fallsBackWhenTheWorkerMayNotWriteTheReplyTopicNamingWriteOnIt() {
        String replyError = fallbackAfter(new TopicAuthorizationException(Set.of("replies")));

        assertThat(replyError).isEqualTo("the broker refused WRITE on topic 'replies' (sending a result to its reply"
                + " topic)");
    }

    @Test
    void fallsBackAtOnceWhenTheWorkerMayNotDescribeTheReplyTopicNamingDescribeOnIt() {
        Node node = new Node(0, "localhost", 9092);
        try (MockAdminClient refusing = new MockAdminClient(List.of(node), node) {
            @Override
            public synchronized DescribeTopicsResult describeTopics(TopicCollection topics,
                    DescribeTopicsOptions options) {
                KafkaFutureImpl<TopicDescription> refused = new KafkaFutureImpl<>();
                refused.completeExceptionally(Errors.TOPIC_AUTHORIZATION_FAILED.exception());
                Map<String, KafkaFuture<TopicDescription>> byName = Map.of("hidden", refused);
                return new DescribeTopicsResult(null, byName) {
                };
            }
        }) {
            Publisher refused = new Publisher(producer, TOPICS, (topic, result) -> new byte[0],
                    (topic, event) -> new byte[0], new ReplyTopics(refusing, Duration.ofMinutes(1),
                            Duration.ofSeconds(5)), Duration.ofSeconds(10));

            refused.send(3, List.of(routed("hidden", 0)), List.of());

            assertThat(producer.history()).singleElement().satisfies(sent -> {
                assertThat(sent.topic()).isEqualTo(TOPICS.results());
                assertThat(new String(header(sent, IngestHeaders.REPLY_ERROR), StandardCharsets.UTF_8)).isEqualTo(
                        "the broker refused DESCRIBE on topic 'hidden' (looking up a command's reply topic)");
            });
        }
    }

    /** The {@code ingest-reply-error} of the result sent instead, once the reply topic refused it so. */
    private String fallbackAfter(RuntimeException refusal) {
        Publication publication = publisher.send(3, List.of(routed("replies", null)), List.of());
        CompletableFuture<Void> awaited = CompletableFuture.runAsync(() -> publisher.awaitAll(publication));
        producer.errorNext(refusal);
        Awaitility.await().alias("the fallback is sent").until(() -> producer.history().size() == 2);
        producer.completeNext();
        awaited.join();

        assertThat(producer.history().get(1).topic()).isEqualTo(TOPICS.results());
        return new String(header(producer.history().get(1), IngestHeaders.REPLY_ERROR), StandardCharsets.UTF_8);
    }

    @Test
    void retriesAnOutageOfTheReplyTopicRatherThanRoutingAroundIt() {
        Publication publication = publisher.send(3, List.of(routed("replies", 0)), List.of());
        producer.errorNext(new NotEnoughReplicasException("not enough in sync replicas"));

        assertThatThrownBy(() -> publisher.awaitAll(publication)).isInstanceOf(PublishException.class)
                .hasRootCauseInstanceOf(NotEnoughReplicasException.class);
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void neverRoutesAResultIntoThePipelinesOwnOrKafkasInternalTopics() {
        List<String> refused = List.of(TOPICS.events(), TOPICS.commands(), TOPICS.deadLetters(), "__consumer_offsets");
        for (String topic : refused) {
            producer.clear();
            publisher.send(3, List.of(routed(topic, null)), List.of());

            ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
            assertThat(sent.topic()).as("reply topic %s", topic).isEqualTo(TOPICS.results());
            assertThat(new String(header(sent, IngestHeaders.REPLY_ERROR), StandardCharsets.UTF_8))
                    .as("reply topic %s", topic).startsWith("reply topic " + topic + " is ");
        }
    }

    @Test
    void fallsBackForAReplyTopicThatDoesNotExistOrLacksThePartition() {
        publisher.send(3, List.of(routed("no-such-topic", null), routed("replies", 7)), List.of());

        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly(TOPICS.results());
        assertThat(new String(header(producer.history().get(0), IngestHeaders.REPLY_ERROR), StandardCharsets.UTF_8))
                .isEqualTo("reply topic no-such-topic does not exist");
        assertThat(new String(header(producer.history().get(1), IngestHeaders.REPLY_ERROR), StandardCharsets.UTF_8))
                .isEqualTo("reply topic replies has 2 partitions, there is no partition 7");
    }

    private static RoutedResult routed(String topic, Integer partition) {
        CommandResult result = CommandResult.rejected("0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10",
                RejectionReason.INVALID_COMMAND, "tenant_id is empty", 3, 17, List.of(), Instant.EPOCH);
        return new RoutedResult(17, result, new ReplyRoute(topic, partition, BINARY_CORRELATION,
                "order-42".getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }
}

package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.trace.TraceLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * W3C trace context through a real worker: a command's {@code traceparent} and {@code tracestate} on its result and
 * every event, the first time and when published again from the database after a crash; a retry's result with the
 * retry's own; malformed headers dropped without changing the outcome; and the trace ids in the MDC of the worker's
 * lines.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceContextIT {

    private static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

    private final PipelineFixture pipeline;

    TraceContextIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void copiesTheTraceHeadersOntoTheResultAndEveryEventOfAMultiStreamCommand() {
        String traceparent = traceparent();
        AppendCommand command = multiStream("copied", 3, 2);
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("trace-copy"))) {
            send(command, traceparent, TRACESTATE);

            ConsumerRecord<byte[], CommandResult> result = resultOf(command.getCommandId(), r -> true);
            List<ConsumerRecord<byte[], EventRecord>> events = eventsOf(command.getCommandId(), 5);

            assertThat(result.value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(header(result, IngestHeaders.TRACEPARENT)).isEqualTo(traceparent);
            assertThat(header(result, IngestHeaders.TRACESTATE)).isEqualTo(TRACESTATE);
            assertThat(events).hasSize(5).allSatisfy(event -> {
                assertThat(header(event, IngestHeaders.TRACEPARENT)).isEqualTo(traceparent);
                assertThat(header(event, IngestHeaders.TRACESTATE)).isEqualTo(TRACESTATE);
            });
            assertThat(events).extracting(event -> event.value().getStreamId()).containsOnly(
                    command.getAppends().get(0).getStreamId(), command.getAppends().get(1).getStreamId());
            assertThat(pipeline.database.queryForStrings("SELECT traceparent || ' ' || tracestate FROM command_results"
                    + " WHERE command_id = '" + command.getCommandId() + "'"))
                    .containsExactly(traceparent + " " + TRACESTATE);
        }
    }

    @Test
    void dropsAMalformedTraceparentWithItsTracestateAndStillAcceptsTheCommand() {
        String malformed = traceparent().toUpperCase(java.util.Locale.ROOT);
        String traceparent = traceparent();
        AppendCommand dropped = multiStream("malformed", 1, 1);
        AppendCommand badState = multiStream("bad-state", 1, 0);
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("trace-malformed"))) {
            send(dropped, malformed, TRACESTATE);
            send(badState, traceparent, "rojo");

            ConsumerRecord<byte[], CommandResult> result = resultOf(dropped.getCommandId(), r -> true);
            assertThat(result.value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(result.headers().lastHeader(IngestHeaders.TRACEPARENT)).isNull();
            assertThat(result.headers().lastHeader(IngestHeaders.TRACESTATE)).isNull();
            assertThat(eventsOf(dropped.getCommandId(), 2)).allSatisfy(event -> {
                assertThat(event.headers().lastHeader(IngestHeaders.TRACEPARENT)).isNull();
                assertThat(event.headers().lastHeader(IngestHeaders.TRACESTATE)).isNull();
            });
            assertThat(pipeline.database.queryForLong("SELECT count(*) FROM command_results WHERE command_id = '"
                    + dropped.getCommandId() + "' AND traceparent IS NULL AND tracestate IS NULL")).isEqualTo(1);

            ConsumerRecord<byte[], CommandResult> kept = resultOf(badState.getCommandId(), r -> true);
            assertThat(kept.value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(header(kept, IngestHeaders.TRACEPARENT)).isEqualTo(traceparent);
            assertThat(kept.headers().lastHeader(IngestHeaders.TRACESTATE)).as("malformed, dropped alone").isNull();
        }
    }

    @Test
    void answersAnUndecodableRecordWithItsTraceContext() throws Exception {
        String traceparent = traceparent();
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("trace-undecodable"))) {
            RecordHeaders headers = traceHeaders(traceparent, TRACESTATE);
            RecordMetadata sent = pipeline.sendRaw(new ProducerRecord<byte[], byte[]>(pipeline.topics.commands(), 3,
                    (byte[]) null, new byte[] {1, 2, 3}, headers)).get();
            pipeline.flush();

            ConsumerRecord<byte[], CommandResult> result = resultOf("invalid:3:" + sent.offset(), r -> true);

            assertThat(result.value().getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(header(result, IngestHeaders.TRACEPARENT)).isEqualTo(traceparent);
            assertThat(header(result, IngestHeaders.TRACESTATE)).isEqualTo(TRACESTATE);
        }
    }

    @Test
    void answersARetryWithItsOwnTraceContextAndRepublishesEveryCopyWithTheSameHeadersAfterACrash()
            throws Exception {
        String first = traceparent();
        String retry = traceparent();
        String other = traceparent();
        AppendCommand command = multiStream("retried", 2, 1);
        AppendCommand second = multiStream("second", 1, 1);
        AppendCommand untraced = multiStream("untraced", 1, 0);
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("trace-retry"))) {
            send(command, first, TRACESTATE);
            resultOf(command.getCommandId(), r -> !r.value().getDuplicate());
            send(command, retry, null);
            send(second, other, null);
            pipeline.send(untraced);
            pipeline.flush();

            ConsumerRecord<byte[], CommandResult> duplicate = resultOf(command.getCommandId(),
                    r -> r.value().getDuplicate());
            assertThat(header(duplicate, IngestHeaders.TRACEPARENT)).as("the retry's own").isEqualTo(retry);
            assertThat(duplicate.headers().lastHeader(IngestHeaders.TRACESTATE)).isNull();
            assertThat(eventsOf(command.getCommandId(), 3)).allSatisfy(event ->
                    assertThat(header(event, IngestHeaders.TRACEPARENT)).as("the original's").isEqualTo(first));
            resultOf(untraced.getCommandId(), r -> true);
            resultOf(second.getCommandId(), r -> true);
        }
        // As if the worker had died between its commits and its publications: progress markers back to the start.
        pipeline.database.execute("UPDATE partition_state SET published_offset = 0, published_sequence = 0");
        pipeline.database.execute("UPDATE event_streams SET watermark = 0");

        ListAppender<ILoggingEvent> lines = capture(PartitionProcessor.class, Level.INFO);
        try (IngestWorker restarted = pipeline.startWorker(pipeline.settings("trace-republish"))) {
            List<ConsumerRecord<byte[], CommandResult>> results = pipeline.results(read -> copies(read,
                    command.getCommandId()) >= 4 && copies(read, second.getCommandId()) >= 2
                    && copies(read, untraced.getCommandId()) >= 2);
            Map<Boolean, List<ConsumerRecord<byte[], CommandResult>>> byDuplicate = results.stream()
                    .filter(r -> r.value().getCommandId().equals(command.getCommandId()))
                    .collect(Collectors.partitioningBy(r -> r.value().getDuplicate()));
            assertThat(byDuplicate.get(false)).hasSizeGreaterThanOrEqualTo(2).allSatisfy(copy -> {
                assertThat(header(copy, IngestHeaders.TRACEPARENT)).isEqualTo(first);
                assertThat(header(copy, IngestHeaders.TRACESTATE)).isEqualTo(TRACESTATE);
            });
            assertThat(byDuplicate.get(true)).hasSizeGreaterThanOrEqualTo(2).allSatisfy(copy -> {
                assertThat(header(copy, IngestHeaders.TRACEPARENT)).isEqualTo(retry);
                assertThat(copy.headers().lastHeader(IngestHeaders.TRACESTATE)).isNull();
            });
            assertThat(results).filteredOn(r -> r.value().getCommandId().equals(untraced.getCommandId()))
                    .allSatisfy(copy -> assertThat(copy.headers().lastHeader(IngestHeaders.TRACEPARENT)).isNull());

            List<ConsumerRecord<byte[], EventRecord>> events = pipeline.events(read -> copies(read,
                    command.getCommandId(), EventRecord::getCommandId) >= 6);
            assertThat(events).filteredOn(e -> e.value().getCommandId().equals(command.getCommandId()))
                    .hasSizeGreaterThanOrEqualTo(6).allSatisfy(copy -> {
                        assertThat(header(copy, IngestHeaders.TRACEPARENT)).isEqualTo(first);
                        assertThat(header(copy, IngestHeaders.TRACESTATE)).isEqualTo(TRACESTATE);
                    });

            String firstId = first.substring(3, 35);
            await().alias("the republication's line carries the trace ids of what it republished")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> linesOf(lines).stream().anyMatch(line -> line.getFormattedMessage()
                            .contains("republished") && ids(line).contains(firstId)));
            ILoggingEvent republished = linesOf(lines).stream().filter(line -> line.getFormattedMessage()
                    .contains("republished") && ids(line).contains(firstId)).findFirst().orElseThrow();
            assertThat(ids(republished).split(",")).contains(firstId, retry.substring(3, 35));
        } finally {
            release(PartitionProcessor.class, lines);
        }
    }

    @Test
    void logsEachAppliedCommandWithItsTraceIdAtDebug() {
        String traceparent = traceparent();
        AppendCommand command = multiStream("logged", 1, 1);
        AppendCommand untraced = multiStream("logged-untraced", 1, 0);
        ListAppender<ILoggingEvent> lines = capture(PartitionProcessor.class, Level.DEBUG);
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("trace-log"))) {
            send(command, traceparent, null);
            pipeline.send(untraced);
            pipeline.flush();
            resultOf(command.getCommandId(), r -> true);
            resultOf(untraced.getCommandId(), r -> true);

            await().alias("a line about each command").atMost(Duration.ofSeconds(30))
                    .until(() -> lineAbout(lines, command.getCommandId()) != null
                            && lineAbout(lines, untraced.getCommandId()) != null);
            ILoggingEvent traced = lineAbout(lines, command.getCommandId());
            assertThat(traced.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(traced.getFormattedMessage()).contains("ACCEPTED");
            assertThat(traced.getMDCPropertyMap()).containsEntry(TraceLog.TRACE_ID, traceparent.substring(3, 35));
            assertThat(lineAbout(lines, untraced.getCommandId()).getMDCPropertyMap())
                    .doesNotContainKey(TraceLog.TRACE_ID);
        } finally {
            release(PartitionProcessor.class, lines);
        }
    }

    /** A command of two appends in one partition (by its partition key), with the events given in each. */
    static AppendCommand multiStream(String name, int firstEvents, int secondEvents) {
        String id = name + "-" + UUID.randomUUID();
        List<StreamAppend> appends = new ArrayList<>();
        appends.add(new StreamAppend(id + "-a", new ExpectedVersion(ExpectedVersionKind.ANY, 0L), events(firstEvents)));
        if (secondEvents > 0) {
            appends.add(new StreamAppend(id + "-b", new ExpectedVersion(ExpectedVersionKind.ANY, 0L),
                    events(secondEvents)));
        }
        return AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setTenantId("tenant-1")
                .setPartitionKey(id).setAppends(appends).setIssuedAt(Instant.now()).build();
    }

    private static List<NewEvent> events(int count) {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new NewEvent(null, "Traced", "entity", "{\"i\": " + i + "}", Map.of()));
        }
        return events;
    }

    /** A new valid version 00 traceparent, sampled. */
    static String traceparent() {
        String hex = UUID.randomUUID().toString().replace("-", "");
        return "00-" + hex + "-" + hex.substring(0, 16) + "-01";
    }

    private void send(AppendCommand command, String traceparent, String tracestate) {
        pipeline.send(new ProducerRecord<>(pipeline.topics.commands(), null, command.getPartitionKey(), command,
                traceHeaders(traceparent, tracestate)));
        pipeline.flush();
    }

    private static RecordHeaders traceHeaders(String traceparent, String tracestate) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(IngestHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
        if (tracestate != null) {
            headers.add(IngestHeaders.TRACESTATE, tracestate.getBytes(StandardCharsets.US_ASCII));
        }
        return headers;
    }

    private ConsumerRecord<byte[], CommandResult> resultOf(String commandId,
            Predicate<ConsumerRecord<byte[], CommandResult>> which) {
        Predicate<ConsumerRecord<byte[], CommandResult>> matching =
                r -> r.value().getCommandId().equals(commandId) && which.test(r);
        return pipeline.results(read -> read.stream().anyMatch(matching)).stream().filter(matching).findFirst()
                .orElseThrow(() -> new AssertionError("no result of " + commandId));
    }

    private List<ConsumerRecord<byte[], EventRecord>> eventsOf(String commandId, int count) {
        return pipeline.events(read -> copies(read, commandId, EventRecord::getCommandId) >= count).stream()
                .filter(e -> e.value().getCommandId().equals(commandId)).toList();
    }

    private static long copies(List<ConsumerRecord<byte[], CommandResult>> read, String commandId) {
        return copies(read, commandId, CommandResult::getCommandId);
    }

    private static <T> long copies(List<ConsumerRecord<byte[], T>> read, String commandId,
            java.util.function.Function<T, String> id) {
        return read.stream().filter(r -> commandId.equals(id.apply(r.value()))).count();
    }

    private static String header(ConsumerRecord<byte[], ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.US_ASCII);
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> source, Level level) {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        logger.setLevel(level);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static void release(Class<?> source, ListAppender<ILoggingEvent> appender) {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        logger.detachAppender(appender);
        logger.setLevel(null);
        appender.stop();
    }

    private static List<ILoggingEvent> linesOf(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) { // AppenderBase appends under this lock
            return new ArrayList<>(appender.list);
        }
    }

    private static ILoggingEvent lineAbout(ListAppender<ILoggingEvent> appender, String commandId) {
        return linesOf(appender).stream().filter(line -> line.getFormattedMessage().contains("command " + commandId))
                .findFirst().orElse(null);
    }

    private static String ids(ILoggingEvent line) {
        return line.getMDCPropertyMap().getOrDefault(TraceLog.TRACE_IDS, "");
    }
}

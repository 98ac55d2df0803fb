package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.worker.HostileInput.Expected;
import io.allsource.ingest.worker.HostileInput.Outgoing;
import io.allsource.ingest.worker.HostileInput.Send;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every entry of the hostile input corpus ({@link HostileInputs}) against one real worker: each record gets exactly
 * the documented result (status, reason, a message naming the field or the versions), a dead letter where the contract
 * says so and none elsewhere, and the valid command sent after it to the same partition is accepted: bad input never
 * stalls a partition. Results are matched to records by their {@code ingest-correlation-id}.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputCorpusIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final PipelineFixture pipeline;
    private final CorpusContext context;

    HostileInputCorpusIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.context = new CorpusContext(pipeline);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    /** A record sent, with its expectation, where it landed, and the correlation id that finds its result. */
    private record Sent(String entry, Expected expected, Outgoing outgoing, String correlationId,
            Future<RecordMetadata> metadata) {

        RecordMetadata landed() {
            try {
                return metadata.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while sending " + entry, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("Could not send the record of " + entry, e);
            }
        }
    }

    @Test
    void answersEveryHostileInputAsDocumentedAndAppliesTheNextCommandOfItsPartition() {
        List<HostileInput> corpus = HostileInputs.all();
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-corpus"))) {
            List<Sent> setups = new ArrayList<>();
            for (int i = 0; i < corpus.size(); i++) {
                setups.addAll(send(corpus.get(i), i, "setup", corpus.get(i).setup()));
            }
            pipeline.flush();
            verify(setups, answers(setups));

            List<Sent> hostile = new ArrayList<>();
            List<Sent> probes = new ArrayList<>();
            for (int i = 0; i < corpus.size(); i++) {
                hostile.addAll(send(corpus.get(i), i, "hostile", corpus.get(i).sends()));
                probes.addAll(send(corpus.get(i), i, "probe",
                        List.of(new Send((ctx, partition) -> ctx.record(ctx.command(partition), partition),
                                Expected.accepted()))));
            }
            pipeline.flush();
            List<Sent> all = new ArrayList<>(hostile);
            all.addAll(probes);
            Map<String, List<ConsumerRecord<byte[], CommandResult>>> answers = answers(all);

            verify(hostile, answers);
            verify(probes, answers);
            verifyDeadLetters(hostile);
        }
        StoreChecks.assertStoreInvariantsHold(pipeline.database);
    }

    private List<Sent> send(HostileInput input, int index, String phase, List<Send> sends) {
        int partition = index % PartitionFunction.PARTITION_COUNT;
        List<Sent> sent = new ArrayList<>();
        for (int j = 0; j < sends.size(); j++) {
            Outgoing outgoing = sends.get(j).factory().build(context, partition);
            String correlationId = "corpus-" + index + "-" + phase + "-" + j;
            outgoing.record().headers().add(IngestHeaders.CORRELATION_ID,
                    correlationId.getBytes(StandardCharsets.UTF_8));
            sent.add(new Sent(input.name() + " (" + phase + " " + j + ")", sends.get(j).expected(), outgoing,
                    correlationId, pipeline.sendRaw(outgoing.record())));
        }
        return sent;
    }

    /** The results on the results topic by correlation id, once every record sent has one. */
    private Map<String, List<ConsumerRecord<byte[], CommandResult>>> answers(List<Sent> sent) {
        List<String> wanted = sent.stream().map(Sent::correlationId).toList();
        Map<String, List<ConsumerRecord<byte[], CommandResult>>> byCorrelation = new HashMap<>();
        List<ConsumerRecord<byte[], CommandResult>> read = pipeline.readUntil(pipeline.topics.results(),
                CommandResult.class, records -> byCorrelationId(records).keySet().containsAll(wanted), WAIT);
        byCorrelation.putAll(byCorrelationId(read));
        return byCorrelation;
    }

    private static Map<String, List<ConsumerRecord<byte[], CommandResult>>> byCorrelationId(
            List<ConsumerRecord<byte[], CommandResult>> records) {
        Map<String, List<ConsumerRecord<byte[], CommandResult>>> map = new HashMap<>();
        for (ConsumerRecord<byte[], CommandResult> record : records) {
            String correlationId = header(record, IngestHeaders.CORRELATION_ID);
            if (correlationId != null) {
                map.computeIfAbsent(correlationId, id -> new ArrayList<>()).add(record);
            }
        }
        return map;
    }

    private static void verify(List<Sent> sent, Map<String, List<ConsumerRecord<byte[], CommandResult>>> answers) {
        SoftAssertions softly = new SoftAssertions();
        for (Sent one : sent) {
            List<ConsumerRecord<byte[], CommandResult>> copies = answers.getOrDefault(one.correlationId(), List.of());
            softly.assertThat(copies).as("%s: results", one.entry()).isNotEmpty();
            if (copies.isEmpty()) {
                continue;
            }
            CommandResult result = copies.get(0).value();
            softly.assertThat(copies).as("%s: every copy identical", one.entry())
                    .allSatisfy(copy -> assertThat(copy.value()).isEqualTo(result));
            verifyResult(softly, one, result);
        }
        softly.assertAll();
    }

    private static void verifyResult(SoftAssertions softly, Sent one, CommandResult result) {
        Expected expected = one.expected();
        RecordMetadata landed = one.landed();
        String what = one.entry() + " -> " + result;
        softly.assertThat(result.getStatus()).as(what).isEqualTo(expected.status());
        softly.assertThat(result.getReason()).as(what).isEqualTo(expected.reason());
        softly.assertThat(result.getDuplicate()).as(what).isEqualTo(expected.duplicate());
        softly.assertThat(result.getCommandId()).as(what).isEqualTo(expected.underInvalidKey()
                ? "invalid:" + landed.partition() + ":" + landed.offset() : one.outgoing().commandId());
        if (!expected.duplicate()) {
            softly.assertThat(result.getPartition()).as(what).isEqualTo(landed.partition());
            softly.assertThat(result.getOffset()).as(what).isEqualTo(landed.offset());
        }
        if (expected.fragments().isEmpty()) {
            softly.assertThat(result.getMessage()).as(what).isNull();
        } else {
            softly.assertThat(result.getMessage()).as(what).contains(expected.fragments());
        }
        if (expected.status() == CommandStatus.ACCEPTED) {
            softly.assertThat(result.getFirstSequence()).as(what).isNotNull();
        }
    }

    private void verifyDeadLetters(List<Sent> hostile) {
        long expectedCount = hostile.stream().filter(sent -> sent.expected().deadLetterError() != null).count();
        List<ConsumerRecord<byte[], byte[]>> letters = pipeline.readUntil(pipeline.topics.deadLetters(), byte[].class,
                read -> read.size() >= expectedCount, WAIT);
        Map<String, ConsumerRecord<byte[], byte[]>> bySource = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            bySource.put(header(letter, IngestHeaders.SOURCE_PARTITION) + ":"
                    + header(letter, IngestHeaders.SOURCE_OFFSET), letter);
        }
        SoftAssertions softly = new SoftAssertions();
        for (Sent sent : hostile) {
            RecordMetadata landed = sent.landed();
            ConsumerRecord<byte[], byte[]> letter = bySource.get(landed.partition() + ":" + landed.offset());
            String error = sent.expected().deadLetterError();
            if (error == null) {
                softly.assertThat(letter).as("%s: no dead letter", sent.entry()).isNull();
                continue;
            }
            softly.assertThat(letter).as("%s: dead letter", sent.entry()).isNotNull();
            if (letter != null) {
                softly.assertThat(letter.partition()).as(sent.entry()).isEqualTo(landed.partition());
                softly.assertThat(letter.key()).as(sent.entry()).isEqualTo(sent.outgoing().record().key());
                softly.assertThat(letter.value()).as(sent.entry()).isEqualTo(sent.outgoing().record().value());
                softly.assertThat(header(letter, IngestHeaders.ERROR)).as(sent.entry()).contains(error);
                softly.assertThat(header(letter, IngestHeaders.CORRELATION_ID)).as("%s: the record's own headers kept",
                        sent.entry()).isEqualTo(sent.correlationId());
            }
        }
        softly.assertThat(letters).as("dead letters").hasSize((int) expectedCount);
        softly.assertAll();
    }

    private static String header(ConsumerRecord<byte[], ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

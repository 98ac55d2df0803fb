package io.allsource.ingest.client;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.StreamOperation;
import io.allsource.ingest.avro.StreamOperationKind;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.contract.CanonicalUuid;
import io.allsource.ingest.contract.TraceContext;
import io.allsource.ingest.kafka.KafkaAccess;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events through the ingest pipeline: sends each {@link AppendCommand} to the commands topic, keyed by its
 * partition key (else the stream id of its first append), and completes the returned future with the command's
 * {@link CommandResult} when the worker publishes it.
 *
 * <p>A rejection is a result, not a failure: the future completes normally with status {@code REJECTED} and a reason.
 * It fails with {@link ResultTimeoutException} when no result arrives within the timeout, with Kafka's exception when
 * the command cannot be sent (with {@link BrokerRefusedException} when the broker refuses the client WRITE on the
 * commands topic), with {@link ClientClosedException} when the client is closed first, and with
 * {@link ResultListenerFailedException} when the client can no longer read results (at once, not after the timeout:
 * a refusal of READ on the results topic stops the reading, and fails every waiting and later append). After a
 * timeout or a send failure, {@link #retry} the same command: the pipeline applies a command id at most once and
 * answers a resent one with its stored result, flagged {@code duplicate}.
 *
 * <p>The client owns one producer and one consumer of the results topic, read on a thread of its own from the end of
 * every partition as it was when the client was created; results published earlier are never seen. Create one client
 * per application and share it.
 *
 * <p>Thread-safe: any number of threads may append at once. Futures are completed on the client's threads (the
 * results reader, the producer's I/O thread, the timeout timer); keep callbacks attached with {@code thenApply} and
 * the like short and non-blocking, or use their {@code ...Async} variants.
 */
public final class IngestClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestClient.class);
    private static final AtomicInteger CLIENT_COUNTER = new AtomicInteger();
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** The client's lifecycle: RUNNING until the results reader fails (FAILED) or the client is closed (CLOSED). */
    private enum State { RUNNING, FAILED, CLOSED }

    private final String clientId;
    private final ClientSettings settings;
    private final Producer<String, AppendCommand> producer;
    private final PendingResults pending;
    private final ResultListener listener;
    private final Thread listenerThread;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private volatile RuntimeException listenerFailure;
    private final KafkaAccess access;

    /**
     * Connects to the pipeline: creates the producer and the results consumer, and fixes the consumer's position at
     * the current end of every partition of the results topic before returning, so that no result of a command sent
     * through this client can be missed.
     *
     * @throws IngestClientException when the results topic does not exist, and {@link BrokerRefusedException} when the
     *                               broker refuses to describe it
     */
    public IngestClient(ClientSettings settings) {
        this(Objects.requireNonNull(settings, "settings"), nextClientId());
    }

    /** For tests: a client on the given Kafka clients (which it owns from now on) and results deserializer. */
    IngestClient(ClientSettings settings, Producer<String, AppendCommand> producer,
            Consumer<byte[], byte[]> resultsConsumer, Deserializer<CommandResult> resultDeserializer) {
        this(settings, nextClientId(), new KafkaClients(producer, resultsConsumer, resultDeserializer));
    }

    private IngestClient(ClientSettings settings, String clientId) {
        this(settings, clientId, KafkaClients.create(settings, clientId));
    }

    private IngestClient(ClientSettings settings, String clientId, KafkaClients clients) {
        this.settings = settings;
        this.clientId = clientId;
        this.producer = clients.producer();
        this.access = access(settings);
        try {
            int partitions = positionAtEnd(clients, settings);
            this.pending = new PendingResults(clientId + "-timeouts");
            this.listener = new ResultListener(clientId, clients.resultsConsumer(), clients.resultDeserializer(),
                    pending, this::listenerFailed, CLOSE_TIMEOUT);
            this.listenerThread = new Thread(listener, clientId + "-results");
            this.listenerThread.setDaemon(true);
            this.listenerThread.start();
            log.info("{} - started: commands to {}, results from {} ({} partitions), timeout {}", clientId,
                    settings.topics().commands(), settings.topics().results(), partitions, settings.timeout());
        } catch (RuntimeException e) {
            clients.closeQuietly(CLOSE_TIMEOUT);
            throw e;
        }
    }

    /**
     * What the client asks of the broker: WRITE on the commands topic, READ on the results topic (it uses no group).
     */
    private static KafkaAccess access(ClientSettings settings) {
        return KafkaAccess.of("sending commands and reading results")
                .needs(AclOperation.WRITE, ResourceType.TOPIC, settings.topics().commands(), "sending commands")
                .needs(AclOperation.READ, ResourceType.TOPIC, settings.topics().results(), "reading results");
    }

    /** Positions the results consumer at the end of every partition; a refusal names DESCRIBE on the topic. */
    private static int positionAtEnd(KafkaClients clients, ClientSettings settings) {
        String results = settings.topics().results();
        try {
            return ResultListener.positionAtEnd(clients.resultsConsumer(), results);
        } catch (RuntimeException e) {
            if (!KafkaAccess.isRefusal(e)) {
                throw e;
            }
            throw new BrokerRefusedException(KafkaAccess.of("finding the end of the results topic")
                    .needs(AclOperation.DESCRIBE, ResourceType.TOPIC, results, "finding the end of the results topic")
                    .describe(e), e);
        }
    }

    /**
     * Why {@code commandId} cannot be a command's id, if it cannot: the contract wants a UUID in the canonical
     * 8-4-4-4-12 hexadecimal form (either case), and the worker answers any other command under
     * {@code invalid:<partition>:<offset>}, so that a client waiting under the id it sent would wait in vain.
     */
    public static Optional<String> commandIdViolation(String commandId) {
        return CanonicalUuid.matches(commandId) ? Optional.empty()
                : Optional.of("command_id '" + commandId + "' is not a UUID in the 8-4-4-4-12 hexadecimal form; the"
                        + " worker rejects such a command without its id");
    }

    /** Sends {@code command} and returns its result's future, which fails after the client's timeout. */
    public CompletableFuture<CommandResult> append(AppendCommand command) {
        return append(command, settings.timeout());
    }

    /**
     * Sends {@code command} and returns its result's future, which fails after {@code timeout}.
     *
     * @throws IllegalArgumentException when the command has no command id, one that is not a UUID in its canonical
     *                                  form, or the timeout is not positive
     */
    public CompletableFuture<CommandResult> append(AppendCommand command, Duration timeout) {
        return append(command, timeout, null);
    }

    /**
     * Sends {@code command} with the W3C trace context {@code trace} ({@code traceparent} and {@code tracestate}
     * headers, which the worker copies onto the result and the events; none for null) and returns its result's
     * future, which fails after {@code timeout}. A retry may carry its own: its result carries the retry's.
     *
     * @throws IllegalArgumentException as {@link #append(AppendCommand, Duration)} does
     */
    public CompletableFuture<CommandResult> append(AppendCommand command, Duration timeout, TraceContext trace) {
        Objects.requireNonNull(command, "command");
        if (command.getCommandId() == null) {
            throw new IllegalArgumentException("command_id must be set");
        }
        commandIdViolation(command.getCommandId()).ifPresent(violation -> {
            throw new IllegalArgumentException(violation);
        });
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be a positive duration, got " + timeout);
        }
        String commandId = command.getCommandId();
        if (state.get() != State.RUNNING) {
            return CompletableFuture.failedFuture(unavailable(commandId));
        }
        CompletableFuture<CommandResult> result = pending.register(commandId, timeout);
        if (!result.isDone()) {
            send(command, trace, result);
        }
        return result;
    }

    /**
     * Deletes {@code streamId} of {@code tenantId} if its current version meets {@code expected}: its events are erased
     * and every later append to it is refused ({@code reason_code} {@code STREAM_DELETED}); the id is never used again.
     * A new command id each call; resend the returned command's id with {@link #retry} to retry.
     *
     * @param partitionKey the partition key the stream was created with, or null when it was its own stream id
     */
    public CompletableFuture<CommandResult> delete(String tenantId, String streamId, String partitionKey,
            ExpectedVersion expected) {
        return append(streamOperation(tenantId, streamId, partitionKey, StreamOperationKind.DELETE, expected));
    }

    /**
     * Erases {@code streamId} of {@code tenantId} if its current version meets {@code expected}: the payload, metadata
     * and entity id of each of its events are replaced by the redaction marker, a redacted copy of each is published,
     * then a tombstone. Appends to the stream go on.
     *
     * @param partitionKey the partition key the stream was created with, or null when it was its own stream id
     */
    public CompletableFuture<CommandResult> erase(String tenantId, String streamId, String partitionKey,
            ExpectedVersion expected) {
        return append(streamOperation(tenantId, streamId, partitionKey, StreamOperationKind.ERASE, expected));
    }

    /** The command of a delete or erase, with a new command id. */
    public static AppendCommand streamOperation(String tenantId, String streamId, String partitionKey,
            StreamOperationKind kind, ExpectedVersion expected) {
        return AppendCommand.newBuilder().setCommandId(java.util.UUID.randomUUID().toString()).setTenantId(tenantId)
                .setPartitionKey(partitionKey).setAppends(java.util.List.of()).setIssuedAt(java.time.Instant.now())
                .setStreamOperation(StreamOperation.newBuilder().setStreamId(streamId).setOperation(kind)
                        .setExpectedVersion(expected).build())
                .build();
    }

    /**
     * Builds {@code command} (a new command id unless it names one), sends it and returns its result's future.
     *
     * @throws IllegalArgumentException when the command has no append, or an append no event
     */
    public CompletableFuture<CommandResult> append(Command command) {
        return append(command, settings.timeout());
    }

    /**
     * Builds {@code command}, sends it (with its {@linkplain Command#traceContext(String, String) trace context}) and
     * returns its result's future, which fails after {@code timeout}.
     */
    public CompletableFuture<CommandResult> append(Command command, Duration timeout) {
        return append(command.build(), timeout, command.traceContext().orElse(null));
    }

    /**
     * Sends {@code sameCommand} again, with its command id unchanged, after a timeout or a send failure. The pipeline
     * answers with the stored result of the first delivery ({@code duplicate} is true) and writes nothing again; a
     * command it never received is applied now.
     */
    public CompletableFuture<CommandResult> retry(AppendCommand sameCommand) {
        return retry(sameCommand, settings.timeout());
    }

    /** Like {@link #retry(AppendCommand)}, waiting {@code timeout} for the result. */
    public CompletableFuture<CommandResult> retry(AppendCommand sameCommand, Duration timeout) {
        log.debug("{} - retrying command {}", clientId, sameCommand.getCommandId());
        return append(sameCommand, timeout);
    }

    /** The number of appends waiting for their result now; for monitoring. */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Stops reading results, closes the producer and the consumer (each within a few seconds) and fails every future
     * still waiting with {@link ClientClosedException}. Later appends fail the same way. Idempotent.
     */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        log.info("{} - closing ({} appends waiting)", clientId, pending.size());
        listener.stop();
        awaitListener();
        try {
            producer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("{} - the producer did not close cleanly", clientId, e);
        }
        int failed = pending.failAll(ClientClosedException::new);
        pending.shutdown();
        log.info("{} - closed; failed {} waiting appends", clientId, failed);
    }

    private void send(AppendCommand command, TraceContext trace, CompletableFuture<CommandResult> result) {
        RecordHeaders headers = new RecordHeaders();
        if (trace != null) {
            headers.add(IngestHeaders.TRACEPARENT, trace.traceparent().getBytes(StandardCharsets.US_ASCII));
            if (trace.tracestate() != null) {
                headers.add(IngestHeaders.TRACESTATE, trace.tracestate().getBytes(StandardCharsets.US_ASCII));
            }
        }
        ProducerRecord<String, AppendCommand> record =
                new ProducerRecord<>(settings.topics().commands(), null, keyOf(command), command, headers);
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    log.debug("{} - sending command {} failed: {}", clientId, command.getCommandId(), error.toString());
                    pending.fail(command.getCommandId(), result, refusedOr(error));
                }
            });
        } catch (RuntimeException e) {
            log.debug("{} - sending command {} failed: {}", clientId, command.getCommandId(), e.toString());
            // A send that raced with close() meets a closed producer: report the close, not the producer's complaint.
            pending.fail(command.getCommandId(), result,
                    state.get() == State.RUNNING ? refusedOr(e) : unavailable(command.getCommandId()));
        }
    }

    /** A {@link BrokerRefusedException} naming the operation and the resource for a refusal, else {@code failure}. */
    private Throwable refusedOr(Throwable failure) {
        return access.refusal(failure).<Throwable>map(line -> new BrokerRefusedException(line, failure))
                .orElse(failure);
    }

    /** The record key: the partition key, else the first append's stream id, as the contract's partition function wants. */
    static String keyOf(AppendCommand command) {
        if (command.getPartitionKey() != null) {
            return command.getPartitionKey();
        }
        if (command.getAppends() == null || command.getAppends().isEmpty()) {
            return command.getStreamOperation() == null ? null : command.getStreamOperation().getStreamId();
        }
        return command.getAppends().get(0).getStreamId();
    }

    private RuntimeException unavailable(String commandId) {
        RuntimeException failure = listenerFailure;
        return state.get() == State.FAILED && failure != null
                ? new ResultListenerFailedException(commandId, failure)
                : new ClientClosedException(commandId);
    }

    private void listenerFailed(RuntimeException failure) {
        RuntimeException cause = access.refusal(failure)
                .<RuntimeException>map(line -> new BrokerRefusedException(line, failure)).orElse(failure);
        listenerFailure = cause;
        if (state.compareAndSet(State.RUNNING, State.FAILED)) {
            log.error("{} - failed: no result can arrive any more; close this client: {}", clientId,
                    cause instanceof BrokerRefusedException ? cause.getMessage() : cause.toString());
            pending.failAll(commandId -> new ResultListenerFailedException(commandId, cause));
        }
    }

    private void awaitListener() {
        if (Thread.currentThread() == listenerThread) {
            return; // closed from a callback on the results thread: it stops once the callback returns
        }
        try {
            if (!listener.awaitStopped(CLOSE_TIMEOUT.multipliedBy(2))) {
                log.warn("{} - the results reader did not stop within {}", clientId, CLOSE_TIMEOUT.multipliedBy(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("{} - interrupted while waiting for the results reader to stop", clientId);
        }
    }

    private static String nextClientId() {
        return "ingest-client-" + CLIENT_COUNTER.incrementAndGet();
    }
}

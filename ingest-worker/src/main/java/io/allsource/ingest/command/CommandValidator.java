package io.allsource.ingest.command;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The contract's rules for a decoded command, checked before any I/O. A violation becomes an
 * {@link RejectionReason#INVALID_COMMAND} result whose message names the field, in the contract's field names
 * ({@code appends[1].events[0].payload}). Thread-safe.
 */
public final class CommandValidator {

    static final int MAX_NAME_CHARS = 255;

    private final CommandLimits limits;

    public CommandValidator(CommandLimits limits) {
        this.limits = limits;
    }

    /**
     * Why {@code commandId} cannot key a stored result, if it cannot: only a canonical UUID can, so that no command id
     * ever meets the {@code invalid:<partition>:<offset>[:<resetId>]} keys of records without a usable one
     * ({@link FallbackKey}).
     */
    public static Optional<String> commandIdViolation(String commandId) {
        return TextRules.nameViolation("command_id", commandId, MAX_NAME_CHARS)
                .or(() -> EventIds.isCanonicalUuid(commandId) ? Optional.empty()
                        : Optional.of("command_id " + TextRules.quote(commandId) + " is not a UUID"));
    }

    /** The first rule {@code command} breaks, as a message naming the field; empty when it breaks none. */
    public Optional<String> violation(AppendCommand command) {
        return commandIdViolation(command.commandId())
                .or(() -> TextRules.nameViolation("tenant_id", command.tenantId(), MAX_NAME_CHARS))
                .or(() -> command.partitionKey() == null ? Optional.empty()
                        : TextRules.nameViolation("partition_key", command.partitionKey(), MAX_NAME_CHARS))
                .or(() -> command.operation() == null ? appendsViolation(command) : operationViolation(command));
    }

    private static Optional<String> operationViolation(AppendCommand command) {
        if (!command.appends().isEmpty()) {
            return Optional.of("appends has " + command.appends().size() + " streams although stream_operation is"
                    + " set: a command either appends or deletes or erases one stream");
        }
        StreamOperation operation = command.operation();
        if (operation.kind() == StreamOperation.Kind.UNKNOWN) {
            return Optional.of("stream_operation.operation is UNKNOWN: an operation newer than this worker, or none");
        }
        return TextRules.nameViolation("stream_operation.stream_id", operation.streamId(), MAX_NAME_CHARS)
                .or(() -> expectedVersionViolation("stream_operation.expected_version",
                        operation.expectedVersion()));
    }

    private Optional<String> appendsViolation(AppendCommand command) {
        int appends = command.appends().size();
        if (appends == 0) {
            return Optional.of("appends is empty: a command appends to at least one stream");
        }
        if (appends > limits.maxAppends()) {
            return Optional.of("appends has " + appends + " streams, at most " + limits.maxAppends() + " are allowed");
        }
        int events = command.appends().stream().mapToInt(append -> append.events().size()).sum();
        if (events > limits.maxEvents()) {
            return Optional.of("appends hold " + events + " events, at most " + limits.maxEvents() + " are allowed");
        }
        Map<String, Integer> firstIndexOfStream = new HashMap<>();
        for (int i = 0; i < appends; i++) {
            StreamAppend append = command.appends().get(i);
            String field = "appends[" + i + "]";
            Optional<String> problem = appendViolation(field, append, command.tenantId());
            if (problem.isPresent()) {
                return problem;
            }
            Integer earlier = firstIndexOfStream.putIfAbsent(append.streamId(), i);
            if (earlier != null) {
                return Optional.of(field + ".stream_id " + TextRules.quote(append.streamId())
                        + " repeats appends[" + earlier + "]: put all events of a stream in one append");
            }
        }
        return Optional.empty();
    }

    private Optional<String> appendViolation(String field, StreamAppend append, String tenantId) {
        Optional<String> problem = TextRules.nameViolation(field + ".stream_id", append.streamId(), MAX_NAME_CHARS)
                .or(() -> expectedVersionViolation(field + ".expected_version", append.expectedVersion()));
        if (problem.isPresent()) {
            return problem;
        }
        if (append.events().isEmpty()) {
            return Optional.of(field + ".events is empty: an append holds at least one event");
        }
        for (int j = 0; j < append.events().size(); j++) {
            problem = eventViolation(field + ".events[" + j + "]", append.events().get(j), append.streamId(), tenantId);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> expectedVersionViolation(String field, ExpectedVersion expected) {
        if (expected == null) {
            return Optional.of(field + " is missing");
        }
        if (expected instanceof ExpectedVersion.Exact exact && exact.version() < 0) {
            return Optional.of(field + ".version is " + exact.version() + ", an EXACT version is 0 or more");
        }
        return Optional.empty();
    }

    private Optional<String> eventViolation(String field, NewEvent event, String streamId, String tenantId) {
        if (event.eventId() != null && !EventIds.isCanonicalUuid(event.eventId())) {
            return Optional.of(field + ".event_id " + TextRules.quote(event.eventId()) + " is not a UUID");
        }
        Optional<String> problem = TextRules.nameViolation(field + ".event_type", event.eventType(), MAX_NAME_CHARS)
                .or(() -> TextRules.nameViolation(field + ".entity_id", event.entityId(), MAX_NAME_CHARS))
                .or(() -> metadataViolation(field + ".metadata", event.metadata()));
        if (problem.isPresent()) {
            return problem;
        }
        if (event.payload() == null) {
            return Optional.of(field + ".payload is missing");
        }
        long payloadBytes = JsonbText.utf8Bytes(event.payload());
        if (payloadBytes > limits.maxPayloadBytes()) {
            return Optional.of(field + ".payload has " + payloadBytes + " bytes, at most " + limits.maxPayloadBytes()
                    + " are allowed");
        }
        JsonPayloads.Checked payload = JsonPayloads.check(field + ".payload", event.payload());
        if (payload.violation().isPresent()) {
            return payload.violation();
        }
        long recordBytes = EventRecordSize.of(streamId, tenantId, event, payload.printedBytes());
        if (recordBytes > limits.maxEventRecordBytes()) {
            return Optional.of(field + ".payload is " + payloadBytes + " bytes as sent but " + payload.printedBytes()
                    + " bytes as PostgreSQL stores and the pipeline publishes it; with the event's other fields the"
                    + " events record would be up to " + recordBytes + " bytes, at most " + limits.maxEventRecordBytes()
                    + " are allowed");
        }
        return Optional.empty();
    }

    private Optional<String> metadataViolation(String field, Map<String, String> metadata) {
        if (metadata.size() > limits.maxMetadataEntries()) {
            return Optional.of(field + " has " + metadata.size() + " entries, at most "
                    + limits.maxMetadataEntries() + " are allowed");
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String keyField = field + "[" + TextRules.quote(String.valueOf(entry.getKey())) + "]";
            Optional<String> problem = metadataTextViolation(keyField + " key", entry.getKey())
                    .or(() -> metadataTextViolation(keyField, entry.getValue()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private Optional<String> metadataTextViolation(String field, String text) {
        if (text == null) {
            return Optional.of(field + " is missing");
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > limits.maxMetadataChars()) {
            return Optional.of(field + " has " + chars + " characters, at most "
                    + limits.maxMetadataChars() + " are allowed");
        }
        return TextRules.storableViolation(field, text);
    }
}

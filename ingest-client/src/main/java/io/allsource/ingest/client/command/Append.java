package io.allsource.ingest.client.command;

import static io.allsource.ingest.client.command.Arguments.requirePresent;
import static io.allsource.ingest.client.command.Arguments.requireText;

import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the events a command appends to one stream, with what it expects of the stream's version:
 * {@code Append.to("order-42").expectingVersion(3).event("OrderPaid", "order-42", "{\"total\":10}")}. The expectation
 * defaults to {@link VersionExpectation#any()}. Each call changes this builder and returns it; every
 * {@link #toStreamAppend()} makes new records, so a built append does not change with the builder.
 *
 * <p>Not thread-safe: build on one thread, then share what it built.
 */
public final class Append {

    private final String streamId;
    private VersionExpectation expectation = VersionExpectation.any();
    private final List<EventDraft> events = new ArrayList<>();

    private Append(String streamId) {
        this.streamId = streamId;
    }

    /** An append to the stream {@code streamId}, which must not be empty. */
    public static Append to(String streamId) {
        return new Append(requireText(streamId, "stream_id"));
    }

    /** Expects the stream's current version to be exactly {@code version} (0: the stream does not exist). */
    public Append expectingVersion(long version) {
        return expecting(VersionExpectation.exact(version));
    }

    /** Expects the stream not to exist yet. */
    public Append expectingNoStream() {
        return expecting(VersionExpectation.noStream());
    }

    /** Expects the stream to hold at least one event. */
    public Append expectingStreamExists() {
        return expecting(VersionExpectation.streamExists());
    }

    /** Expects nothing of the stream's version (the default). */
    public Append expectingAny() {
        return expecting(VersionExpectation.any());
    }

    /** Expects {@code expected} of the stream's version. */
    public Append expecting(VersionExpectation expected) {
        this.expectation = requirePresent(expected, "expected_version");
        return this;
    }

    /**
     * Adds an event whose id the worker derives from the command id and the event's position, so that a retried
     * command derives the same ids.
     *
     * @param eventType   the event's type
     * @param entityId    the entity the event is about
     * @param payloadJson one JSON value, as text
     */
    public Append event(String eventType, String entityId, String payloadJson) {
        events.add(new EventDraft(null, requireText(eventType, "event_type"), requireText(entityId, "entity_id"),
                requireText(payloadJson, "payload"), new LinkedHashMap<>()));
        return this;
    }

    /** Adds an event with an id of the caller's; see {@link #event(String, String, String)}. */
    public Append eventWithId(UUID eventId, String eventType, String entityId, String payloadJson) {
        events.add(new EventDraft(requirePresent(eventId, "event_id").toString(), requireText(eventType, "event_type"),
                requireText(entityId, "entity_id"), requireText(payloadJson, "payload"), new LinkedHashMap<>()));
        return this;
    }

    /**
     * Adds the pair {@code key}, {@code value} to the metadata of the event added last.
     *
     * @throws IllegalStateException when no event has been added yet
     */
    public Append metadata(String key, String value) {
        if (events.isEmpty()) {
            throw new IllegalStateException("metadata belongs to the last event added: add an event to stream "
                    + streamId + " first");
        }
        requirePresent(key, "metadata key");
        requirePresent(value, "metadata value of " + key);
        events.get(events.size() - 1).metadata().put(key, value);
        return this;
    }

    /** The stream this append is for. */
    public String streamId() {
        return streamId;
    }

    /** What this append expects of its stream's version. */
    public VersionExpectation expectation() {
        return expectation;
    }

    /**
     * The contract's record of this append.
     *
     * @throws IllegalArgumentException when no event was added
     */
    public StreamAppend toStreamAppend() {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("events of stream " + streamId
                    + " must hold at least one event: add one with event(...)");
        }
        List<NewEvent> newEvents = events.stream().map(EventDraft::toNewEvent).toList();
        return new StreamAppend(streamId, expectation.toExpectedVersion(), new ArrayList<>(newEvents));
    }

    /** An event as added, its metadata still open to {@link #metadata}. */
    private record EventDraft(String eventId, String eventType, String entityId, String payload,
            Map<String, String> metadata) {

        NewEvent toNewEvent() {
            return new NewEvent(eventId, eventType, entityId, payload, new LinkedHashMap<>(metadata));
        }
    }
}

package io.allsource.ingest.client.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AppendTest {

    @Test
    void buildsTheStreamAppendWithItsEventsInOrder() {
        StreamAppend append = Append.to("order-42")
                .expectingVersion(3)
                .event("OrderPaid", "order-42", "{\"total\":10}")
                .event("OrderShipped", "order-42", "{}")
                .toStreamAppend();

        assertThat(append.getStreamId()).isEqualTo("order-42");
        assertThat(append.getExpectedVersion()).isEqualTo(new ExpectedVersion(ExpectedVersionKind.EXACT, 3L));
        assertThat(append.getEvents()).extracting(NewEvent::getEventType, NewEvent::getEntityId, NewEvent::getPayload)
                .containsExactly(
                        tuple("OrderPaid", "order-42", "{\"total\":10}"),
                        tuple("OrderShipped", "order-42", "{}"));
    }

    @Test
    void expectsAnyVersionUnlessTold() {
        Append append = Append.to("s").event("T", "e", "{}");

        assertThat(append.expectation()).isEqualTo(VersionExpectation.any());
        assertThat(append.toStreamAppend().getExpectedVersion().getKind()).isEqualTo(ExpectedVersionKind.ANY);
    }

    @Test
    void mapsEachExpectationToItsKind() {
        assertThat(kindOf(Append.to("s").expectingNoStream())).isEqualTo(ExpectedVersionKind.NO_STREAM);
        assertThat(kindOf(Append.to("s").expectingStreamExists())).isEqualTo(ExpectedVersionKind.STREAM_EXISTS);
        assertThat(kindOf(Append.to("s").expectingNoStream().expectingAny())).isEqualTo(ExpectedVersionKind.ANY);
        assertThat(kindOf(Append.to("s").expectingVersion(0))).isEqualTo(ExpectedVersionKind.EXACT);
    }

    @Test
    void leavesTheEventIdToTheWorkerUnlessGiven() {
        UUID id = UUID.randomUUID();

        StreamAppend append = Append.to("s")
                .event("Derived", "e", "{}")
                .eventWithId(id, "Given", "e", "{}")
                .toStreamAppend();

        assertThat(append.getEvents()).extracting(NewEvent::getEventId).containsExactly(null, id.toString());
    }

    @Test
    void addsMetadataToTheLastEventOnly() {
        StreamAppend append = Append.to("s")
                .event("First", "e", "{}")
                .event("Second", "e", "{}")
                .metadata("trace", "abc")
                .metadata("user", "u-1")
                .toStreamAppend();

        assertThat(append.getEvents().get(0).getMetadata()).isEmpty();
        assertThat(append.getEvents().get(1).getMetadata()).containsExactly(Map.entry("trace", "abc"),
                Map.entry("user", "u-1"));
    }

    @Test
    void refusesMetadataBeforeAnyEvent() {
        assertThatThrownBy(() -> Append.to("order-1").metadata("k", "v"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add an event to stream order-1 first");
    }

    @Test
    void refusesNullMetadataNamingTheKey() {
        Append append = Append.to("s").event("T", "e", "{}");

        assertThatThrownBy(() -> append.metadata(null, "v")).hasMessage("metadata key must not be null");
        assertThatThrownBy(() -> append.metadata("k", null)).hasMessage("metadata value of k must not be null");
    }

    @Test
    void refusesAnEmptyOrMissingStreamId() {
        assertThatThrownBy(() -> Append.to("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream_id must not be null or empty");
        assertThatThrownBy(() -> Append.to(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream_id must not be null or empty");
    }

    @Test
    void refusesToBuildAnAppendWithoutEvents() {
        assertThatThrownBy(() -> Append.to("order-7").expectingNoStream().toStreamAppend())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events of stream order-7 must hold at least one event");
    }

    @Test
    void refusesANegativeExactVersion() {
        assertThatThrownBy(() -> Append.to("s").expectingVersion(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected_version EXACT must be 0 or more, got -1");
    }

    @Test
    void refusesEventsWithoutTypeEntityOrPayloadNamingTheField() {
        Append append = Append.to("s");

        assertThatThrownBy(() -> append.event("", "e", "{}")).hasMessage("event_type must not be null or empty");
        assertThatThrownBy(() -> append.event("T", null, "{}")).hasMessage("entity_id must not be null or empty");
        assertThatThrownBy(() -> append.event("T", "e", "")).hasMessage("payload must not be null or empty");
        assertThatThrownBy(() -> append.eventWithId(null, "T", "e", "{}")).hasMessage("event_id must not be null");
        assertThatThrownBy(() -> append.expecting(null)).hasMessage("expected_version must not be null");
    }

    @Test
    void aBuiltAppendDoesNotChangeWhenTheBuilderDoes() {
        Append builder = Append.to("s").event("T", "e", "{}").metadata("k", "1");
        StreamAppend built = builder.toStreamAppend();

        builder.metadata("k", "2").event("Later", "e", "{}").expectingNoStream();

        assertThat(built.getEvents()).hasSize(1);
        assertThat(built.getEvents().get(0).getMetadata()).containsEntry("k", "1");
        assertThat(built.getExpectedVersion().getKind()).isEqualTo(ExpectedVersionKind.ANY);
    }

    private static ExpectedVersionKind kindOf(Append append) {
        return append.event("T", "e", "{}").toStreamAppend().getExpectedVersion().getKind();
    }
}

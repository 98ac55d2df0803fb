package io.allsource.ingest.views.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamSummaryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void keepsTheLatestVersionsTypeAndTheEarliestAndLatestTimesWhateverTheOrder() {
        StreamSummary summary = StreamSummary.of(event(2, "Paid", T0.plusSeconds(20)))
                .plus(event(1, "Placed", T0))
                .plus(event(3, "Shipped", T0.plusSeconds(10)));

        assertThat(summary).isEqualTo(new StreamSummary("order-1", 4, "tenant-a", 3, 3, "Shipped", T0,
                T0.plusSeconds(20)));
    }

    @Test
    void anOlderVersionArrivingLateDoesNotReplaceTheLastEventType() {
        StreamSummary summary = StreamSummary.of(event(2, "Paid", T0)).plus(event(1, "Placed", T0));

        assertThat(summary.lastEventType()).isEqualTo("Paid");
        assertThat(summary.latestVersion()).isEqualTo(2);
    }

    @Test
    void writesSnakeCaseJsonWithIsoInstants() {
        String json = new String(JsonSerde.of(StreamSummary.class).serializer().serialize("t",
                StreamSummary.of(event(1, "Placed", T0))), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json).contains("\"stream_id\":\"order-1\"", "\"latest_version\":1",
                "\"first_recorded_at\":\"2026-01-01T12:00:00Z\"");
    }

    private static StreamEvent event(long version, String type, Instant at) {
        return new StreamEvent("order-1", version, 4, "tenant-a", type, at);
    }
}

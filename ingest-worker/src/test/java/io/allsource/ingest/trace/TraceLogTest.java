package io.allsource.ingest.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.contract.TraceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TraceLogTest {

    @Test
    void setsOneCommandsTraceIdUntilClosed() {
        TraceContext trace = trace(1);
        try (TraceLog.Scope scope = TraceLog.command(trace)) {
            assertThat(MDC.get(TraceLog.TRACE_ID)).isEqualTo(trace.traceId());
        }
        assertThat(MDC.get(TraceLog.TRACE_ID)).isNull();
    }

    @Test
    void putsBackWhatTheKeyHeldBefore() {
        try (TraceLog.Scope outer = TraceLog.command(trace(1));
                TraceLog.Scope inner = TraceLog.command(trace(2))) {
            assertThat(MDC.get(TraceLog.TRACE_ID)).isEqualTo(trace(2).traceId());
        }
        assertThat(MDC.get(TraceLog.TRACE_ID)).isNull();
        try (TraceLog.Scope outer = TraceLog.command(trace(1))) {
            try (TraceLog.Scope inner = TraceLog.command(trace(2))) {
                assertThat(MDC.get(TraceLog.TRACE_ID)).isEqualTo(trace(2).traceId());
            }
            assertThat(MDC.get(TraceLog.TRACE_ID)).isEqualTo(trace(1).traceId());
        }
    }

    @Test
    void setsNothingForACommandOrBatchWithoutTraceContext() {
        try (TraceLog.Scope command = TraceLog.command(null);
                TraceLog.Scope batch = TraceLog.batch(Arrays.asList(null, null))) {
            assertThat(MDC.getCopyOfContextMap()).satisfiesAnyOf(map -> assertThat(map).isNull(),
                    map -> assertThat(map).doesNotContainKeys(TraceLog.TRACE_ID, TraceLog.TRACE_IDS));
        }
    }

    @Test
    void listsABatchsDistinctTraceIdsInOrderSkippingCommandsWithoutOne() {
        try (TraceLog.Scope scope = TraceLog.batch(Arrays.asList(trace(1), null, trace(2), trace(1)))) {
            assertThat(MDC.get(TraceLog.TRACE_IDS)).isEqualTo(trace(1).traceId() + "," + trace(2).traceId());
        }
        assertThat(MDC.get(TraceLog.TRACE_IDS)).isNull();
    }

    @Test
    void boundsABatchsTraceIdsAndCountsTheRest() {
        List<TraceContext> traces = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            traces.add(trace(i));
        }
        String ids = TraceLog.idsOf(traces);

        assertThat(ids.split(",")).hasSize(TraceLog.MAX_TRACE_IDS + 1);
        assertThat(ids).startsWith(trace(1).traceId() + ",").endsWith("," + trace(10).traceId() + ",+15")
                .doesNotContain(trace(11).traceId());
    }

    static TraceContext trace(int n) {
        return new TraceContext(String.format("00-%032x-%016x-01", n, n), null);
    }
}

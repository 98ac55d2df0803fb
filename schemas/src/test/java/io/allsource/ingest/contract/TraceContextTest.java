package io.allsource.ingest.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void readsTheIdsAndFlagsOfAVersion00Traceparent() {
        TraceContext context = TraceContext.parse(VALID, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE").orElseThrow();

        assertThat(context.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(context.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(context.flags()).isEqualTo("01");
        assertThat(context.sampled()).isTrue();
        assertThat(context.tracestate()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(TraceContext.parse(VALID.replace("-01", "-00"), null).orElseThrow().sampled()).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",            // one character short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",          // version 00 with more after it
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what",      // ditto
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",           // upper-case trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",           // upper-case parent id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",           // upper-case flags
        "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // upper-case version
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // version ff
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",           // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",           // all-zero parent id
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",           // not hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",           // not hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",           // flags not hex
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",           // wrong separators
        "00-4bf92f3577b34da6a3ce929d0e0e47360-0f067aa0ba902b7-01",           // fields of the wrong lengths
        "004bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",           // a separator missing
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",          // leading space
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",          // later version, no '-' after flags
    })
    void dropsAMalformedTraceparentAndItsTracestate(String traceparent) {
        assertThat(TraceContext.parse(traceparent, "rojo=00f067aa0ba902b7")).isEmpty();
        assertThat(TraceContext.traceparentViolation(traceparent)).isPresent();
        assertThatThrownBy(() -> new TraceContext(traceparent, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dropsAMissingTraceparentWithItsTracestate() {
        assertThat(TraceContext.parse((String) null, "rojo=00f067aa0ba902b7")).isEmpty();
        assertThat(TraceContext.parse((byte[]) null, "rojo=1".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void refusesHeaderBytesOutsideAscii() {
        byte[] bytes = VALID.getBytes(StandardCharsets.US_ASCII);
        bytes[10] = (byte) 0xe4;
        assertThat(TraceContext.parse(bytes, null)).isEmpty();
        assertThat(TraceContext.parse(VALID.getBytes(StandardCharsets.US_ASCII),
                "k=v\u00e4".getBytes(StandardCharsets.UTF_8)).orElseThrow().tracestate()).isNull();
    }

    @Test
    void keepsALaterVersionWithMoreFieldsAsSent() {
        String later = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like";
        TraceContext context = TraceContext.parse(later, null).orElseThrow();

        assertThat(context.traceparent()).isEqualTo(later);
        assertThat(context.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TraceContext.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null)).isPresent();
        assertThat(TraceContext.parse(later + "x".repeat(512), null)).as("longer than kept").isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "rojo",                          // no '='
        "=value",                        // no key
        "Rojo=1",                        // upper-case key
        "1rojo=1",                       // a simple key starting with a digit
        "rojo=",                         // empty value
        "rojo=a,b",                      // ',' leaves a member without '='
        "rojo=a=b",                      // '=' in a value
        "rojo=1,rojo=2",                 // a key twice
        "tenant@=1",                     // empty system id
        "@system=1",                     // empty tenant id
        "tenant@1system=1",              // system id starting with a digit
        "rojo=caf\u00e9",               // not ASCII
        "rojo=a\u0001b",                // a control character
    })
    void dropsAMalformedTracestateAndKeepsTheTraceparent(String tracestate) {
        TraceContext context = TraceContext.parse(VALID, tracestate).orElseThrow();

        assertThat(context.traceparent()).isEqualTo(VALID);
        assertThat(context.tracestate()).isNull();
    }

    @Test
    void acceptsTheListShapesTheSpecificationAllows() {
        for (String valid : List.of("rojo=1", " rojo=1 ,\tcongo=2", "rojo=1,,congo=2", "t3n-nt_*/x@sys-1=v a",
                "0tenant@sys=v", "k=" + "v".repeat(256))) {
            assertThat(TraceContext.parse(VALID, valid).orElseThrow().tracestate()).as(valid).isEqualTo(valid);
        }
        assertThat(TraceContext.parse(VALID, "").orElseThrow().tracestate()).as("empty").isNull();
    }

    @Test
    void dropsAListOfMoreThan32Members() {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            members.add("k" + i + "=v");
        }
        assertThat(TraceContext.parse(VALID, String.join(",", members)).orElseThrow().tracestate()).isNull();
        assertThat(TraceContext.parse(VALID, String.join(",", members.subList(0, 32))).orElseThrow().tracestate())
                .isEqualTo(String.join(",", members.subList(0, 32)));
    }

    @Test
    void cutsALongListToWhatFitsRemovingMembersOver128CharactersFirst() {
        String big = "big=" + "b".repeat(200);
        List<String> small = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            small.add("k" + String.format("%02d", i) + "=" + "v".repeat(16)); // 20 characters each
        }
        String list = small.get(0) + "," + big + "," + String.join(",", small.subList(1, 20));

        String kept = TraceContext.parse(VALID, list).orElseThrow().tracestate();

        assertThat(list.length()).isGreaterThan(TraceContext.MAX_TRACESTATE_CHARS);
        assertThat(kept).isEqualTo(String.join(",", small)).doesNotContain("big=");
        assertThat(kept.length()).isLessThanOrEqualTo(TraceContext.MAX_TRACESTATE_CHARS);
    }

    @Test
    void cutsALongListFromTheEndWhenNoMemberIsOver128Characters() {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            members.add("k" + String.format("%02d", i) + "=" + "v".repeat(36)); // 40 characters each
        }
        String kept = TraceContext.parse(VALID, String.join(",", members)).orElseThrow().tracestate();

        // 12 members take 12 * 40 + 11 = 491 characters; a 13th would need 532
        assertThat(kept).isEqualTo(String.join(",", members.subList(0, 12)));
    }

    @Test
    void theConstructorRefusesWhatParseWouldCut() {
        assertThat(new TraceContext(VALID, "rojo=1").tracestate()).isEqualTo("rojo=1");
        assertThatThrownBy(() -> new TraceContext(VALID, "rojo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tracestate");
        assertThat(TraceContext.traceparentViolation("00-x").orElseThrow())
                .contains("traceparent '00-x' is not a W3C traceparent: it has 4 characters");
    }
}

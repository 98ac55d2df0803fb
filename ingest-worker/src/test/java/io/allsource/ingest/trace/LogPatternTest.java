package io.allsource.ingest.trace;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The worker's default log pattern ({@code logback.xml}) shows the trace ids of a line when they are set. */
class LogPatternTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void showsTheTraceIdOfALineAboutOneCommand() throws Exception {
        assertThat(format(Map.of(TraceLog.TRACE_ID, TRACE_ID)))
                .endsWith("io.allsource.ingest.Worker trace_id=" + TRACE_ID + " - applied\n");
    }

    @Test
    void showsTheTraceIdsOfALineAboutABatch() throws Exception {
        assertThat(format(Map.of(TraceLog.TRACE_IDS, TRACE_ID + ",+3")))
                .endsWith("io.allsource.ingest.Worker trace_ids=" + TRACE_ID + ",+3 - applied\n");
    }

    @Test
    void showsNothingOfTracesOnALineWithout() throws Exception {
        assertThat(format(Map.of())).endsWith("io.allsource.ingest.Worker - applied\n").doesNotContain("trace");
    }

    /** A line formatted with the pattern of the worker's {@code logback.xml} (the main one, not the tests'). */
    private static String format(Map<String, String> mdc) throws Exception {
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(mainPattern());
        layout.start();
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("io.allsource.ingest.Worker");
        event.setLevel(Level.INFO);
        event.setThreadName("main");
        event.setMessage("applied");
        event.setTimeStamp(0);
        event.setMDCPropertyMap(mdc);
        return layout.doLayout(event);
    }

    private static String mainPattern() throws Exception {
        try (InputStream in = LogPatternTest.class.getResourceAsStream("/logback.xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher pattern = Pattern.compile("<pattern>(.*)</pattern>").matcher(xml);
            assertThat(pattern.find()).as("logback.xml has a pattern").isTrue();
            return pattern.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        }
    }
}

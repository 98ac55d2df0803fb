package io.allsource.ingest.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * What the code under test logs to the loggers of some classes, or to every logger, from when it is created until it
 * is closed: for tests that check what a log says, or that it never says a secret. Use in try-with-resources.
 */
public final class CapturedLog implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger[] loggers;
    private final JulRecords julRecords;

    private CapturedLog(Logger[] loggers, JulRecords julRecords) {
        this.loggers = loggers;
        this.julRecords = julRecords;
        appender.start();
        for (Logger logger : loggers) {
            logger.addAppender(appender);
        }
        if (julRecords != null) {
            java.util.logging.Logger.getLogger("").addHandler(julRecords);
        }
    }

    /** Starts capturing what the loggers of {@code sources} log. */
    public static CapturedLog of(Class<?>... sources) {
        Logger[] loggers = new Logger[sources.length];
        for (int i = 0; i < sources.length; i++) {
            loggers[i] = (Logger) LoggerFactory.getLogger(sources[i]);
        }
        return new CapturedLog(loggers, null);
    }

    /**
     * Starts capturing every line logged at the levels the logging configuration lets through: through SLF4J (the
     * root logger) and through {@code java.util.logging} (which the PostgreSQL driver uses).
     */
    public static CapturedLog everything() {
        return new CapturedLog(new Logger[] {(Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)},
                new JulRecords());
    }

    /** Every message logged so far, formatted with its arguments, one per line. */
    public String text() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    /**
     * Every line logged so far with the text of the exception it carries (each cause's class and message; stack
     * frames left out), and what {@code java.util.logging} got when capturing {@link #everything()}.
     */
    public String fullText() {
        List<ILoggingEvent> events;
        synchronized (appender) { // AppenderBase appends under this lock
            events = new ArrayList<>(appender.list);
        }
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : events) {
            text.append(event.getLoggerName()).append(": ").append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                text.append("  caused by ").append(cause.getClassName()).append(": ").append(cause.getMessage())
                        .append('\n');
            }
        }
        if (julRecords != null) {
            julRecords.lines.forEach(line -> text.append(line).append('\n'));
        }
        return text.toString();
    }

    @Override
    public void close() {
        for (Logger logger : loggers) {
            logger.detachAppender(appender);
        }
        appender.stop();
        if (julRecords != null) {
            java.util.logging.Logger.getLogger("").removeHandler(julRecords);
        }
    }

    /** The records {@code java.util.logging} publishes, formatted with their exceptions. */
    private static final class JulRecords extends Handler {

        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                lines.add(formatter.format(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}

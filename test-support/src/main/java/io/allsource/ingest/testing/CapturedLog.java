package io.allsource.ingest.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * What the code under test logs to the loggers of some classes, from when it is created until it is closed: for tests
 * that check what a log says, or that it never says a secret. Use in try-with-resources.
 */
public final class CapturedLog implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger[] loggers;

    private CapturedLog(Class<?>... sources) {
        loggers = new Logger[sources.length];
        appender.start();
        for (int i = 0; i < sources.length; i++) {
            loggers[i] = (Logger) LoggerFactory.getLogger(sources[i]);
            loggers[i].addAppender(appender);
        }
    }

    /** Starts capturing what the loggers of {@code sources} log. */
    public static CapturedLog of(Class<?>... sources) {
        return new CapturedLog(sources);
    }

    /** Every message logged so far, formatted with its arguments, one per line. */
    public String text() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        for (Logger logger : loggers) {
            logger.detachAppender(appender);
        }
        appender.stop();
    }
}

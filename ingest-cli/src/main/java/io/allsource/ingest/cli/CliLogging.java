package io.allsource.ingest.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * How the {@code ingest} command line logs, set once by {@link IngestMain#main} (never when a test calls
 * {@link IngestMain#run} in its own JVM). Quiet by default: the console (standard error) shows this project's warnings
 * and errors and other libraries' errors only, so that a command's own output and its one-line {@code error:} stand
 * alone; {@code --verbose} shows every INFO line as before. {@code ingest run} also writes the full log (INFO, every
 * logger) to {@code <data-dir>/logs/ingest-run.log}, kept in five files of at most 10 MB.
 */
final class CliLogging {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    static final String RUN_LOG = "ingest-run.log";

    /** Libraries whose INFO lines are noise even in the full log, as in the worker's own logback.xml. */
    private static final List<String> WARN_ONLY = List.of("org.apache.kafka", "kafka", "state.change.logger",
            "com.zaxxer.hikari", "org.flywaydb");

    private static volatile LoggerContext configured;

    private CliLogging() {
    }

    /** Replaces the logging configuration: the console quiet, or every INFO line with {@code verbose}. */
    static void configure(boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: leave it as its configuration says
        }
        context.reset();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        if (!verbose) {
            Filter<ILoggingEvent> quiet = new QuietConsole();
            quiet.setContext(context);
            quiet.start();
            console.addFilter(quiet);
        }
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        WARN_ONLY.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
        configured = context;
    }

    /**
     * Adds the full log of {@code ingest run} under {@code logsDirectory}, when {@link #configure} has run.
     *
     * @return the log file, or empty when logging is not this class's to configure (a test's own JVM)
     */
    static Optional<Path> logRunTo(Path logsDirectory) {
        LoggerContext context = configured;
        if (context == null) {
            return Optional.empty();
        }
        Path file = logsDirectory.resolve(RUN_LOG).toAbsolutePath();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("run-log");
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(logsDirectory.resolve("ingest-run.%i.log").toAbsolutePath().toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(4);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder(context));
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return Optional.of(file);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /** Lets through this project's warnings and errors, and other libraries' errors. */
    private static final class QuietConsole extends Filter<ILoggingEvent> {

        @Override
        public FilterReply decide(ILoggingEvent event) {
            Level least = event.getLoggerName().startsWith("io.allsource.") ? Level.WARN : Level.ERROR;
            return event.getLevel().isGreaterOrEqual(least) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }
}

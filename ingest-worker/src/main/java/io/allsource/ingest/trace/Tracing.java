package io.allsource.ingest.trace;

import java.lang.reflect.InvocationTargetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the worker's {@link Spans}: OpenTelemetry's when its API is on the class path and an SDK is registered as
 * the global one (by the Java agent, by {@code OpenTelemetrySdk.builder()...buildAndRegisterGlobal()}, or by the SDK's
 * autoconfiguration with {@code -Dotel.java.global-autoconfigure.enabled=true}); otherwise {@link Spans#NONE}.
 *
 * <p>Every reference to OpenTelemetry is in {@code OpenTelemetrySpans}, which is loaded by name and only after the
 * API's presence was checked, so that the worker runs with no OpenTelemetry jar at all (the API is an optional
 * dependency of the worker: modules that depend on the worker do not get it). Thread-safe.
 */
public final class Tracing {

    private static final Logger log = LoggerFactory.getLogger(Tracing.class);
    private static final String API_CLASS = "io.opentelemetry.api.GlobalOpenTelemetry";
    private static final String SPANS_CLASS = "io.allsource.ingest.trace.OpenTelemetrySpans";

    private Tracing() {
    }

    /** The spans the worker makes, chosen now; {@link Spans#NONE} when OpenTelemetry cannot make any. */
    public static Spans spans() {
        if (!openTelemetryApiPresent()) {
            log.debug("The OpenTelemetry API is not on the class path: the worker makes no spans");
            return Spans.NONE;
        }
        try {
            Spans spans = (Spans) Class.forName(SPANS_CLASS).getDeclaredMethod("ofGlobal").invoke(null);
            if (spans == null) {
                log.debug("No OpenTelemetry SDK is registered: the worker makes no spans");
                return Spans.NONE;
            }
            log.info("Spans {}, {} and {} go to the registered OpenTelemetry SDK", Spans.DECODE, Spans.APPLY,
                    Spans.PUBLISH);
            return spans;
        } catch (InvocationTargetException e) {
            log.warn("OpenTelemetry could not be set up, the worker makes no spans: {}", e.getCause().toString());
            return Spans.NONE;
        } catch (ReflectiveOperationException | LinkageError e) {
            log.warn("OpenTelemetry's API on the class path is not one the worker can use, it makes no spans: {}",
                    e.toString());
            return Spans.NONE;
        }
    }

    /** Whether OpenTelemetry's API can be loaded; initializes none of its classes. */
    public static boolean openTelemetryApiPresent() {
        ClassLoader loader = Tracing.class.getClassLoader();
        try {
            Class.forName(API_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}

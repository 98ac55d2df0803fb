/**
 * W3C trace context through the worker: the {@code traceparent} and {@code tracestate} headers read from a command
 * and written onto its result and events ({@link io.allsource.ingest.trace.TraceHeaders}), the trace ids of the
 * commands a log line is about in the MDC ({@link io.allsource.ingest.trace.TraceLog}), and spans of the decode, apply
 * and publish steps when OpenTelemetry is there ({@link io.allsource.ingest.trace.Spans},
 * {@link io.allsource.ingest.trace.Tracing}).
 */
package io.allsource.ingest.trace;

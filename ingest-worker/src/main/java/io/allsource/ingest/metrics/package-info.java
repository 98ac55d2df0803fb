/**
 * Beside the write path: the metrics and health endpoints and the lag monitor.
 */
package io.allsource.ingest.metrics;

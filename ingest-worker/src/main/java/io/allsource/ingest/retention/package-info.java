/**
 * Beside the write path: bounded idempotency records. The stored outcomes of commands older than the worker's
 * {@code result-retention-ms} are pruned in the background (issue 18, operation 4).
 */
package io.allsource.ingest.retention;

package io.allsource.ingest.batch;

/** What the store knows of an existing stream: the partition it lives in and its current version. */
public record StreamState(int partition, long currentVersion) {
}

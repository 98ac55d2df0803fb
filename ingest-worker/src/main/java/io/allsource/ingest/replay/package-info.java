/**
 * Republishing stored events from PostgreSQL to a topic of the operator's choice ({@code ingest replay}): in
 * partition-sequence order, in the events topic's format, resumable through {@code replay_progress}.
 */
package io.allsource.ingest.replay;

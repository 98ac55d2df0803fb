/**
 * Step 1 of the write path, <b>decode</b>: a commands record becomes a batch entry (decoded with the schema
 * registry, its reply route read from the headers) or an undecodable entry with a bounded dead-letter copy
 * ({@link io.allsource.ingest.intake.CommandDecoder}); the copy is published before the store commits. Next step:
 * {@link io.allsource.ingest.batch.BatchChecker}.
 */
package io.allsource.ingest.intake;

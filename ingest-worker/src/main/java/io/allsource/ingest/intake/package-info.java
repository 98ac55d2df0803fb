/**
 * Step 1 of the write path, <b>decode</b>: a commands record becomes a batch entry (decoded with the schema
 * registry, its reply route read from the headers) or an undecodable entry with a bounded dead-letter copy
 * ({@link io.allsource.ingest.intake.CommandDecoder}). Next step: {@link io.allsource.ingest.batch}.
 */
package io.allsource.ingest.intake;

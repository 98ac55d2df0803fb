/**
 * Step 5 of the write path, <b>publish</b>: results to their reply routes (or the results topic), events to
 * the events topic, undecodable records to the dead-letter topic ({@link io.allsource.ingest.publish.Publisher}).
 */
package io.allsource.ingest.publish;

/**
 * Step 4 of the write path, <b>publish</b>: results to their reply routes (or the results topic), events to the
 * events topic ({@link io.allsource.ingest.publish.Publisher}); also the dead-letter copies of step 1.
 */
package io.allsource.ingest.publish;

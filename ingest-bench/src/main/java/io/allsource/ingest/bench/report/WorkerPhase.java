package io.allsource.ingest.bench.report;

/**
 * Where a command's time went inside the worker during one phase of a workload, from the worker's own meters (means
 * over the phase): how long the oldest command of a partition batch waited between its fetch and its hand-over to an
 * apply thread (linger, the partition's batch before it), how long the batch waited for a thread, how long its
 * transaction took, and how long the broker took to acknowledge what it committed.
 *
 * @param transactions           batch transactions that ended in the phase
 * @param batchesPerTransaction  partition batches per transaction
 * @param commandsPerBatch       commands per committed partition batch
 * @param dwellMs                from the fetch of a batch's oldest command to its hand-over, milliseconds
 * @param queueMs                from hand-over to an apply thread taking it, milliseconds
 * @param transactionMs          one batch transaction (decode and check excluded), milliseconds
 * @param publicationMs          from the send of a committed batch to the broker's acknowledgement, milliseconds
 */
public record WorkerPhase(String phase, long transactions, double batchesPerTransaction, double commandsPerBatch,
        double dwellMs, double queueMs, double transactionMs, double publicationMs) {
}

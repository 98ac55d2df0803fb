package io.allsource.ingest.worker;

import io.allsource.ingest.store.BatchOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A partition's batch handed to an apply thread, whose outcome its consumer records once it is there.
 *
 * @param outcome        completes with the batch's outcome (exceptionally only with an {@link Error})
 * @param records        the records of the batch: the oldest pending ones of the partition
 * @param progressBefore the worker's count of committed batches when the batch was handed over, with which a
 *                       failure is sorted (see {@link io.allsource.ingest.failure.FailureStreak})
 * @param taken          those records, whose trace ids the lines about the batch's outcome carry
 */
record BatchInFlight(CompletableFuture<BatchOutcome> outcome, int records, long progressBefore,
        List<ConsumerRecord<byte[], byte[]>> taken) {

    /** A batch whose records are not kept (their trace ids are not logged). */
    BatchInFlight(CompletableFuture<BatchOutcome> outcome, int records, long progressBefore) {
        this(outcome, records, progressBefore, List.of());
    }
}

package io.allsource.ingest.bench;

import io.allsource.ingest.batch.BatchChecker;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.StoreSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * The pipeline's event store as the worker drives it: each partition's commands applied in batches, one transaction per
 * batch, partitions spread over threads as over consumer threads. Validation, idempotency, expected versions, partition
 * sequences and stored results all included.
 */
final class BatchStoreRun {

    private BatchStoreRun() {
    }

    static Measurement run(DataSource dataSource, Workload workload, int threads, int batchSize) throws Exception {
        EventStore store = new EventStore(dataSource, StoreSettings.DEFAULT);
        List<List<Integer>> partitions = workload.byPartition();
        List<Long> epochs = new ArrayList<>();
        for (int p = 0; p < PartitionFunction.PARTITION_COUNT; p++) {
            epochs.add(store.claim(p, "bench").ownerEpoch());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int p = thread; p < PartitionFunction.PARTITION_COUNT; p += threads) {
                    apply(store, p, epochs.get(p), partitions.get(p), workload, batchSize);
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        long elapsed = System.nanoTime() - started;
        pool.shutdown();
        return new Measurement("batch store: one transaction per " + batchSize + " commands (" + threads
                + " threads)", workload.events(), elapsed);
    }

    private static void apply(EventStore store, int partition, long epoch, List<Integer> commands, Workload workload,
            int batchSize) {
        long offset = 0;
        // The check step runs before the store in the worker, so it belongs to what is measured here too.
        BatchChecker checker = new BatchChecker(partition, new CommandValidator(CommandLimits.DEFAULT));
        for (int from = 0; from < commands.size(); from += batchSize) {
            List<BatchEntry> entries = new ArrayList<>();
            for (int command : commands.subList(from, Math.min(commands.size(), from + batchSize))) {
                entries.add(new BatchEntry.Decoded(offset++, command(workload, command), ReplyRoute.DEFAULT));
            }
            BatchOutcome outcome = store.appendBatch(partition, epoch, checker.prepare(entries));
            if (!(outcome instanceof BatchOutcome.Committed)) {
                throw new IllegalStateException("Partition " + partition + " was fenced during the benchmark");
            }
        }
    }

    private static AppendCommand command(Workload workload, int command) {
        List<NewEvent> events = new ArrayList<>(workload.eventsPerCommand());
        for (int event = 0; event < workload.eventsPerCommand(); event++) {
            events.add(NewEvent.of("Happened", workload.streamOf(command), workload.payload(command, event)));
        }
        return new AppendCommand(workload.commandId(command), "bench", null,
                List.of(new StreamAppend(workload.streamOf(command), ExpectedVersion.any(), events)), Instant.now());
    }
}

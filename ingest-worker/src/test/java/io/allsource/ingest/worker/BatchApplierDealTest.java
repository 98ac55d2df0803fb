package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.FallbackKey;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How the due batches of a round are dealt into transactions. */
class BatchApplierDealTest {

    @Test
    void dealsBatchesRoundRobinIntoAtMostOneTransactionPerThread() {
        List<BatchApplier.Request> requests = requests(5, -1);

        assertThat(BatchApplier.deal(requests, 2)).containsExactly(List.of(0, 2, 4), List.of(1, 3));
    }

    @Test
    void putsEveryBatchInOneTransactionWithOneThread() {
        assertThat(BatchApplier.deal(requests(3, -1), 1)).containsExactly(List.of(0, 1, 2));
    }

    @Test
    void givesAPartitionNarrowingDownAFailingRecordATransactionOfItsOwn() {
        List<BatchApplier.Request> requests = requests(4, 2);

        List<List<Integer>> groups = BatchApplier.deal(requests, 2);

        assertThat(groups).contains(List.of(2));
        assertThat(groups).hasSize(3);
        assertThat(groups.stream().flatMap(List::stream)).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void needsNoTransactionForNoBatch() {
        assertThat(BatchApplier.deal(List.of(), 2)).isEmpty();
    }

    private static List<BatchApplier.Request> requests(int count, int alone) {
        return IntStream.range(0, count).mapToObj(i -> new BatchApplier.Request(i, 1, FallbackKey.FIRST_LOG,
                List.of(), Map.of(), i == alone)).toList();
    }
}

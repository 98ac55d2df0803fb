package io.allsource.ingest.client;

import static io.allsource.ingest.client.Results.accepted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.CommandResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingResultsTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    private final PendingResults pending = new PendingResults("test-timeouts");

    @AfterEach
    void shutdown() {
        pending.shutdown();
    }

    @Test
    void completesTheFutureWithTheResultOfItsCommandId() {
        CompletableFuture<CommandResult> mine = pending.register("id-1", LONG);
        CompletableFuture<CommandResult> other = pending.register("id-2", LONG);

        int completed = pending.complete(accepted("id-1"));

        assertThat(completed).isEqualTo(1);
        assertThat(mine).isCompletedWithValue(accepted("id-1"));
        assertThat(other).isNotDone();
        assertThat(pending.isWaitingFor("id-1")).isFalse();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void ignoresResultsOfCommandIdsNobodyWaitsFor() {
        CompletableFuture<CommandResult> waiting = pending.register("id-1", LONG);

        assertThat(pending.complete(accepted("someone-else"))).isZero();
        assertThat(waiting).isNotDone();
    }

    @Test
    void aSecondCopyOfAResultCompletesNothing() {
        CompletableFuture<CommandResult> future = pending.register("id-1", LONG);
        CommandResult first = accepted("id-1");
        CommandResult copy = accepted("id-1");
        copy.setDuplicate(true);

        pending.complete(first);

        assertThat(pending.complete(copy)).isZero();
        assertThat(future.join()).isSameAs(first);
    }

    @Test
    void completesEveryFutureWaitingForOneCommandId() {
        CompletableFuture<CommandResult> original = pending.register("id-1", LONG);
        CompletableFuture<CommandResult> retried = pending.register("id-1", LONG);

        assertThat(pending.size()).isEqualTo(2);
        assertThat(pending.complete(accepted("id-1"))).isEqualTo(2);
        assertThat(original).isCompletedWithValue(accepted("id-1"));
        assertThat(retried).isCompletedWithValue(accepted("id-1"));
    }

    @Test
    void failsWithResultTimeoutExceptionNamingTheCommandAndTheTimeout() {
        CompletableFuture<CommandResult> future = pending.register("id-slow", Duration.ofMillis(100));

        await("the future to time out").atMost(Duration.ofSeconds(10)).until(future::isDone);

        Throwable failure = catchThrowable(future::join);
        assertThat(failure).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(ResultTimeoutException.class)
                .hasMessageContaining("id-slow")
                .hasMessageContaining("PT0.1S");
        ResultTimeoutException timeout = (ResultTimeoutException) failure.getCause();
        assertThat(timeout.commandId()).isEqualTo("id-slow");
        assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(pending.size()).isZero();
    }

    @Test
    void aResultAfterTheTimeoutCompletesNothing() {
        CompletableFuture<CommandResult> future = pending.register("id-late", Duration.ofMillis(50));
        await("the future to time out").atMost(Duration.ofSeconds(10)).until(future::isDone);

        assertThat(pending.complete(accepted("id-late"))).isZero();
        assertThat(future).isCompletedExceptionally();
    }

    @Test
    void aFutureCompletedElsewhereStopsWaiting() {
        CompletableFuture<CommandResult> cancelled = pending.register("id-1", LONG);
        CompletableFuture<CommandResult> failed = pending.register("id-2", LONG);

        cancelled.cancel(false);
        failed.completeExceptionally(new IllegalStateException("send failed"));

        assertThat(pending.size()).isZero();
        assertThat(pending.isWaitingFor("id-1")).isFalse();
        assertThat(pending.isWaitingFor("id-2")).isFalse();
    }

    @Test
    void failAllFailsEveryWaitingFutureAndEveryLaterRegistration() {
        CompletableFuture<CommandResult> first = pending.register("id-1", LONG);
        CompletableFuture<CommandResult> second = pending.register("id-2", LONG);

        int failed = pending.failAll(ClientClosedException::new);
        CompletableFuture<CommandResult> late = pending.register("id-3", LONG);

        assertThat(failed).isEqualTo(2);
        for (CompletableFuture<CommandResult> future : java.util.List.of(first, second, late)) {
            assertThat(catchThrowable(future::join)).cause().isInstanceOf(ClientClosedException.class);
        }
        assertThat(catchThrowable(late::join)).cause().hasMessageContaining("id-3");
        assertThat(pending.size()).isZero();
    }
}

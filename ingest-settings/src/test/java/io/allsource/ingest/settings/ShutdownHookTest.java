package io.allsource.ingest.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** At shutdown everything started is closed in the order given, whatever one of them throws. */
class ShutdownHookTest {

    @Test
    void closesEveryResourceInOrderEvenWhenOneFails() {
        List<String> closed = new ArrayList<>();
        AutoCloseable failing = () -> {
            closed.add("failing");
            throw new IllegalStateException("cannot stop");
        };

        ShutdownHook.closer(List.of(() -> closed.add("worker"), failing, () -> closed.add("servers"))).run();

        assertThat(closed).containsExactly("worker", "failing", "servers");
    }
}

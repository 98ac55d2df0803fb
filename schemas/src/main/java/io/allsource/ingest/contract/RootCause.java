package io.allsource.ingest.contract;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The innermost cause of a failure and the one line that tells it, for the one-line reasons the worker, the client
 * and the views give. Follows the cause chain to its end, stopping at a cycle or after 32 links. Stateless.
 */
public final class RootCause {

    private static final int MAX_CAUSES = 32;

    private RootCause() {
    }

    /** The innermost cause of {@code failure} ({@code failure} itself when it has none). */
    public static Throwable of(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable root = failure;
        while (root.getCause() != null && seen.put(root, true) == null && seen.size() < MAX_CAUSES) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * The first non-blank line of the innermost cause's message, or that cause's type when it has no message: only the
     * first line, because a database's message goes on with Detail lines that may quote row data.
     */
    public static String message(Throwable failure) {
        Throwable root = of(failure);
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getSimpleName();
        }
        return message.strip().lines().findFirst().orElse("");
    }
}

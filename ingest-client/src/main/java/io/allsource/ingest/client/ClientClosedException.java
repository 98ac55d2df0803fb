package io.allsource.ingest.client;

/**
 * The client was closed before a command's result arrived, or a command was appended to a closed client. The command
 * may have been applied: a new client can {@link IngestClient#retry} it to learn its outcome. Immutable, so
 * thread-safe.
 */
public final class ClientClosedException extends IngestClientException {

    private static final long serialVersionUID = 1L;

    private final String commandId;

    public ClientClosedException(String commandId) {
        super("Ingest client closed before the result of command " + commandId + " arrived");
        this.commandId = commandId;
    }

    /** The command id whose result will not arrive through this client. */
    public String commandId() {
        return commandId;
    }
}

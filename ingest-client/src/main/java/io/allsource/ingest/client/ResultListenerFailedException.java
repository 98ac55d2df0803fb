package io.allsource.ingest.client;

/**
 * The client stopped reading the results topic because its consumer failed for good (for example, it is not
 * authorized to read the topic: then the cause is a {@link BrokerRefusedException} naming the operation and the
 * topic); the cause says why. No result can arrive through this client any more: close it and
 * create a new one once the cause is fixed. Immutable, so thread-safe.
 */
public final class ResultListenerFailedException extends IngestClientException {

    private static final long serialVersionUID = 1L;

    private final String commandId;

    public ResultListenerFailedException(String commandId, Throwable cause) {
        super("Ingest client stopped reading results, so the result of command " + commandId + " cannot arrive: "
                + (cause instanceof IngestClientException ? cause.getMessage() : String.valueOf(cause)), cause);
        this.commandId = commandId;
    }

    /** The command id whose result will not arrive through this client. */
    public String commandId() {
        return commandId;
    }
}

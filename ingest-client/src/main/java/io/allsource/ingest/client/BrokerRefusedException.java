package io.allsource.ingest.client;

/**
 * The broker refused the client an operation it needs: an ACL denies the client's principal WRITE on the commands
 * topic (the command was not sent), or READ or DESCRIBE on the results topic (no result can arrive). The message is one
 * line naming the operation and the resource, such as {@code the broker refused WRITE on topic 'ingest.commands'
 * (sending commands)}; the cause is Kafka's {@link org.apache.kafka.common.errors.AuthorizationException}. No retry
 * helps until the grant is given. Immutable, so thread-safe.
 */
public final class BrokerRefusedException extends IngestClientException {

    private static final long serialVersionUID = 1L;

    public BrokerRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}

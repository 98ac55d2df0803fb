package io.allsource.ingest.registry;

/**
 * The registry could not be reached, or answered with a server error, on every attempt. Transient: the same call may
 * succeed later.
 */
public class RegistryUnavailableException extends RegistryException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

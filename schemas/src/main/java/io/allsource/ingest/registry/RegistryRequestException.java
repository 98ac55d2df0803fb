package io.allsource.ingest.registry;

/**
 * The registry refused a request (HTTP 4xx): a subject or schema that does not exist, an invalid or incompatible
 * schema, missing credentials. Carries the registry's own error code (such as 40401 subject not found, 40403 schema not
 * found, 409 incompatible schema, 42201 invalid schema) and message. Retrying the same request will not help.
 */
public class RegistryRequestException extends RegistryException {

    /** The Confluent error codes for a subject, a version or a schema that does not exist. */
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int VERSION_NOT_FOUND = 40402;
    private static final int SCHEMA_NOT_FOUND = 40403;

    private final int httpStatus;
    private final int errorCode;
    private final String registryMessage;

    public RegistryRequestException(String request, int httpStatus, int errorCode, String registryMessage) {
        super(request + " refused by the schema registry: HTTP " + httpStatus + ", error code " + errorCode + ": "
                + registryMessage);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's error code, or the HTTP status when the answer carried none. */
    public int errorCode() {
        return errorCode;
    }

    public String registryMessage() {
        return registryMessage;
    }

    /** Whether the subject, version or schema asked for does not exist. */
    public boolean isNotFound() {
        return errorCode == SUBJECT_NOT_FOUND || errorCode == VERSION_NOT_FOUND || errorCode == SCHEMA_NOT_FOUND
                || httpStatus == 404;
    }
}

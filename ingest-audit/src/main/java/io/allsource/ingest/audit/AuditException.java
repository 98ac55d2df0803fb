package io.allsource.ingest.audit;

/** The audit could not be carried out (database or broker unreachable, a record unreadable); the cause says why. */
public final class AuditException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuditException(String message) {
        super(message);
    }
}

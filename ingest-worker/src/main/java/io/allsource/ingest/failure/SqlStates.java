package io.allsource.ingest.failure;

/**
 * PostgreSQL's SQLState classes (appendix A of its manual) sorted into failure kinds. The store handles unique
 * violations and deadlocks between concurrent partitions before they get here (it retries them in place).
 */
final class SqlStates {

    private SqlStates() {
    }

    /** The kind of a failure with SQLState {@code state}; one without a state counts as transient. */
    static FailureKind kindOf(String state) {
        if (state == null || state.length() != 5) {
            return FailureKind.TRANSIENT;
        }
        String sqlClass = state.substring(0, 2);
        return switch (sqlClass) {
            // connection exceptions; transaction rollback (serialization failure, deadlock); insufficient resources
            // (disk full, out of memory, too many connections); operator intervention (shutdown, terminated backend,
            // statement timeout 57014); object not in prerequisite state (55P03 lock not available); invalid
            // transaction state (25P03 idle-in-transaction timeout, 25006 a read-only server during a failover)
            case "08", "40", "53", "57", "55", "25" -> FailureKind.TRANSIENT;
            // data exception (invalid encoding 22021, value too long 22001, numeric out of range 22003, ...);
            // integrity constraint violation the rules did not foresee; program limit exceeded (an index row or a
            // JSONB value too large, stack depth)
            case "22", "23", "54" -> FailureKind.PERMANENT_FOR_RECORD;
            // invalid authorization (wrong password, no such role); invalid catalog name (no such database);
            // syntax error or access rule violation (missing table, insufficient privilege 42501); feature not
            // supported; configuration file error
            case "28", "3D", "42", "0A", "F0" -> FailureKind.FATAL;
            default -> FailureKind.TRANSIENT;
        };
    }
}

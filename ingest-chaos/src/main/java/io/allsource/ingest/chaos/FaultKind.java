package io.allsource.ingest.chaos;

/** The faults the soak injects, each described as the report prints it. */
public enum FaultKind {
    WORKER_KILL("worker killed (SIGKILL) and restarted"),
    WORKER_JOIN_LEAVE("worker joined or left the group (1-3 workers)"),
    WORKER_ZOMBIE("worker paused (SIGSTOP) past its session timeout, then resumed"),
    POSTGRES_RESTART("PostgreSQL stopped and restarted"),
    POSTGRES_TERMINATE("worker connections killed (pg_terminate_backend)"),
    BROKER_RESTART("Kafka broker stopped and restarted"),
    REGISTRY_PAUSE("schema registry unavailable (SIGSTOP), a worker restarted meanwhile"),
    STATEMENT_TIMEOUT("statement_timeout of 20 ms on the database for a while");

    private final String description;

    FaultKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}

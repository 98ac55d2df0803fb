package io.allsource.ingest.testkit;

/** How long one pipeline (its topics, database, worker and client) lives under {@link IngestPipelineExtension}. */
public enum PipelineLifecycle {

    /** One pipeline for all the tests of a class, started before the first and closed after the last. */
    PER_CLASS,

    /**
     * A pipeline of its own for every test method, closed after it. Slower (a worker starts for each test); inject it
     * into test methods, not into constructors or {@code @BeforeAll} methods.
     */
    PER_TEST
}

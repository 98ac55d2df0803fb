package io.allsource.ingest.settings;

/** Whether a component creates the topics it needs that are missing at start, or refuses to start without them. */
public enum TopicCreation {
    CREATE_MISSING,
    REQUIRE_EXISTING
}

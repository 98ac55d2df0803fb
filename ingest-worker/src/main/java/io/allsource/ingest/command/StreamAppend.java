package io.allsource.ingest.command;

import java.util.List;

/** The events one command appends to one stream, and what it expects of the stream's current version. */
public record StreamAppend(String streamId, ExpectedVersion expectedVersion, List<NewEvent> events) {

    public StreamAppend {
        events = events == null ? List.of() : List.copyOf(events);
    }
}

package io.allsource.ingest.views;

import java.util.Objects;

/**
 * The topics of the views: the events topic they read and the alerts topic they write. Configurable; these are the
 * defaults.
 *
 * @param events the worker's events topic ({@code ingest.events})
 * @param alerts where sequence gap alerts go ({@code ingest.alerts}), keyed by partition number, valued with JSON
 */
public record ViewsTopics(String events, String alerts) {

    public static final ViewsTopics DEFAULT = new ViewsTopics("ingest.events", "ingest.alerts");

    public ViewsTopics {
        requireName("events", events);
        requireName("alerts", alerts);
        if (events.equals(alerts)) {
            throw new IllegalArgumentException("the alerts topic must differ from the events topic, both are "
                    + events);
        }
    }

    /** The same names with {@code prefix} in front, like {@code IngestTopics.withPrefix}. */
    public ViewsTopics withPrefix(String prefix) {
        return new ViewsTopics(prefix + events, prefix + alerts);
    }

    private static void requireName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isBlank()) {
            throw new IllegalArgumentException("the " + what + " topic name must not be blank");
        }
    }
}

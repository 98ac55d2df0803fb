package io.allsource.ingest.views;

import java.util.List;

/** Settings of the views that are missing or invalid; the message names every bad key at once. */
public final class ViewsConfigException extends ViewsException {

    private final List<String> problems;

    public ViewsConfigException(List<String> problems) {
        super("Invalid views settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each naming its key. */
    public List<String> problems() {
        return problems;
    }
}

package io.allsource.ingest.settings;

import java.util.List;

/**
 * A component cannot run with its configuration: a setting is missing, unknown or invalid, or the deployment it names
 * does not match it (a topic missing or with another partition count, a cluster that does not answer). Fatal: the
 * component refuses to start. The message names every setting or topic at fault and what to fix, and never repeats a
 * secret value.
 */
public class ConfigException extends RuntimeException {

    private final List<String> problems;

    /** Every problem found, one line each, each naming its setting. */
    public ConfigException(List<String> problems) {
        this("Invalid configuration", problems);
    }

    /** Every problem found, under a heading that says what was checked, such as {@code Topics not ready}. */
    public ConfigException(String heading, List<String> problems) {
        super(heading + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One problem, found by something that failed with {@code cause}. */
    public ConfigException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** One line per problem, each naming its setting or topic. */
    public List<String> problems() {
        return problems;
    }
}

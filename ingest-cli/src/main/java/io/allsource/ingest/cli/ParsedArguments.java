package io.allsource.ingest.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * A command line of a command built from the worker's settings ({@code run}, {@code schemas}), parsed; or the exit
 * status when parsing has already answered: 0 after printing the help, 2 after a usage error.
 *
 * @param result the parsed arguments, or null when {@code exitStatus} is the answer
 */
record ParsedArguments(ParseResult result, int exitStatus) {

    static ParsedArguments parse(CommandSpec spec, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(spec);
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage());
            return new ParsedArguments(null, 2);
        }
        if (parsed.isUsageHelpRequested()) {
            commandLine.usage(out);
            return new ParsedArguments(null, 0);
        }
        return new ParsedArguments(parsed, 0);
    }

    /** Whether parsing has answered already (help, usage error), so that the command returns {@link #exitStatus}. */
    boolean answered() {
        return result == null;
    }
}

package io.allsource.ingest.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** What one {@code ingest ...} command line, run in this JVM with no environment, printed and returned. */
record CliOutput(int status, String out, String err) {

    static CliOutput ingest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = IngestMain.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliOutput(status, out.toString(), err.toString());
    }
}

package io.allsource.ingest.audit;

import java.util.ArrayList;
import java.util.List;

/** Renders checks and audit reports as plain text tables for terminals and logs. Stateless. */
public final class AuditText {

    private AuditText() {
    }

    /** The checks as a table (check, checked, violations), then each named violation on a line of its own. */
    public static List<String> checks(List<Check> checks) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"check", "checked", "violations"});
        for (Check check : checks) {
            rows.add(new String[] {check.name(), Long.toString(check.checked()), Long.toString(check.violations())});
        }
        List<String> lines = table(rows);
        for (Check check : checks) {
            check.examples().forEach(example -> lines.add("  violates '" + check.name() + "': " + example));
        }
        return lines;
    }

    /** The report's checks, then its totals. */
    public static List<String> report(AuditReport report) {
        List<String> lines = checks(report.checks());
        lines.add("");
        lines.add("events lost (must be 0):                 " + report.eventsLost());
        lines.add("commands applied twice (must be 0):      " + report.commandsAppliedTwice());
        lines.add("duplicate result publications (allowed): " + report.duplicateResultPublications()
                + " of " + report.resultsRead() + " results read");
        lines.add("duplicate event publications (allowed):  " + report.duplicateEventPublications()
                + " of " + report.eventsRead() + " events read");
        return lines;
    }

    /** Rows as columns as wide as their widest cell, the first column left-aligned, a rule under the header. */
    public static List<String> table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = String.valueOf(rows.get(r)[i]);
                line.append(i == 0 ? String.format("%-" + widths[i] + "s", cell)
                        : String.format("  %" + widths[i] + "s", cell));
            }
            lines.add(line.toString().stripTrailing());
            if (r == 0) {
                lines.add("-".repeat(line.length()));
            }
        }
        return lines;
    }
}

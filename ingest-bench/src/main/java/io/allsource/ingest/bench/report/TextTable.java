package io.allsource.ingest.bench.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plain text table: first column left-aligned, the others right-aligned unless {@link #alignLeft} says otherwise,
 * each as wide as its widest cell.
 */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> leftAligned = new HashSet<>(Set.of(0));

    TextTable(String... header) {
        rows.add(header);
    }

    TextTable row(String... cells) {
        if (cells.length != rows.get(0).length) {
            throw new IllegalArgumentException("a row needs " + rows.get(0).length + " cells, got " + cells.length);
        }
        rows.add(cells);
        return this;
    }

    /** Aligns the cells of {@code columns} (from 0) to the left, as text that reads better so (statements). */
    TextTable alignLeft(int... columns) {
        for (int column : columns) {
            leftAligned.add(column);
        }
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = rows.get(r)[i];
                String padded = leftAligned.contains(i) ? String.format("%-" + widths[i] + "s", cell)
                        : String.format("%" + widths[i] + "s", cell);
                line.append(i == 0 ? padded : "  " + padded);
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                out.println("-".repeat(line.length()));
            }
        }
    }
}

package dev.hookwise.cli.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A plain-text table: a header, rows, columns padded to their widest cell (cells longer than the
 * column's cap are cut with an ellipsis). No colours or box drawing, so it pastes into a ticket.
 *
 * <pre>
 * ID                TYPE                       ATTEMPTS
 * evt_1             payment_intent.succeeded   3
 * </pre>
 */
public final class Table {
    private final String[] header;
    private final int[] caps;
    private final List<String[]> rows = new ArrayList<>();

    private Table(String[] header, int[] caps) {
        this.header = header;
        this.caps = caps;
    }

    /** A table with these column names; no column is cut. */
    public static Table of(String... header) {
        int[] caps = new int[header.length];
        Arrays.fill(caps, Integer.MAX_VALUE);
        return new Table(header, caps);
    }

    /** Cuts the cells of column {@code index} to {@code max} characters. */
    public Table cap(int index, int max) {
        caps[index] = max;
        return this;
    }

    public Table row(@Nullable Object... cells) {
        String[] row = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            Object value = i < cells.length ? cells[i] : null;
            String cell = value == null ? "-" : value instanceof java.time.Instant t ? TimeArgs.show(t) : String.valueOf(value);
            cell = cell.replace('\n', ' ').replace('\r', ' ');
            if (cell.length() > caps[i]) {
                cell = cell.substring(0, Math.max(0, caps[i] - 1)) + "…";
            }
            row[i] = cell;
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        line(out, header, widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
    }

    private static void line(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < cells.length - 1) {
                b.append(" ".repeat(widths[i] - cells[i].length() + 2));
            }
        }
        out.println(b.toString().stripTrailing());
    }
}

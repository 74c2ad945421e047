package dev.hookwise.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits Hookwise's own schema files into statements (no general SQL parser: our files only). */
public final class SqlScripts {
    private SqlScripts() {}

    /** Comment lines start with "--", statements end with ";". */
    public static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}

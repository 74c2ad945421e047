package dev.hookwise.benchmarks.report;

import dev.hookwise.benchmarks.Load;
import dev.hookwise.benchmarks.Results;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: cores, memory, JDK, database versions, date. */
public final class Machine {
    private Machine() {}

    public static void main(String[] args) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstLine("/proc/cpuinfo", "model name"));
        String mem = firstLine("/proc/meminfo", "MemTotal");
        m.put("memory", mem.endsWith(" kB")
                ? String.format(java.util.Locale.ROOT, "%.1f GiB", Long.parseLong(mem.replace(" kB", "").trim()) / 1048576.0) : mem);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("postgresql", version("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)
                + setting("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null,
                        "SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')"));
        m.put("mariadb", version("jdbc:mariadb://127.0.0.1:3306/test", "root", "")
                + setting("jdbc:mariadb://127.0.0.1:3306/test", "root", "",
                        "SELECT CONCAT('innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit)"));
        m.put("h2", version("jdbc:h2:mem:version", "sa", ""));
        m.put("pgbench", command("pgbench", "--version"));
        m.put("load", Load.now());
        Results.write(Path.of(args.length > 0 ? args[0] : "benchmarks/results/machine.json"), m);
    }

    private static String firstLine(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String version(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "not reachable";
        }
    }

    private static String setting(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? " (" + rs.getString(1) + ")" : "";
        } catch (SQLException e) {
            return "";
        }
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}

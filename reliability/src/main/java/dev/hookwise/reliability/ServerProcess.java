package dev.hookwise.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One system-under-test JVM: started, killed with SIGKILL, started again on the same port. Either
 * a {@link ServerUnderTest} ({@link WebhookServer} in asynchronous mode) or the Spring Boot orders
 * sample ({@link SpringOrders}). Its output goes to a log file in the results folder.
 */
final class ServerProcess implements AutoCloseable {
    /** The JVM options every system under test runs with: a small heap, and HikariCP's pool events in the log. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.HikariPool=debug",
            "-Dlogging.level.com.zaxxer.hikari.pool.HikariPool=debug");

    private final String name;
    private final List<String> command;
    private final String readyMarker;
    private final Path log;
    private final int port;
    private volatile Process process;
    private int starts;

    ServerProcess(String name, Harness.Database db, String prefix, Path outDir, List<String> extraArguments)
            throws IOException {
        this(name, db, db.url, prefix, outDir, extraArguments);
    }

    /** A server that reaches {@code db} at {@code jdbcUrl} (through a proxy, say). */
    ServerProcess(String name, Harness.Database db, String jdbcUrl, String prefix, Path outDir,
            List<String> extraArguments) throws IOException {
        this.name = name;
        this.port = freePort();
        this.log = outDir.resolve(name + ".log");
        Files.createDirectories(outDir);
        Files.deleteIfExists(log);
        List<String> args = new ArrayList<>(List.of(javaBinary()));
        args.addAll(JVM_OPTIONS);
        args.addAll(List.of("-cp", classpath(), ServerUnderTest.class.getName()));
        args.addAll(List.of("--jdbc-url", jdbcUrl, "--user", db.user, "--password", db.password,
                "--prefix", prefix, "--port", Integer.toString(port), "--instance", name));
        args.addAll(extraArguments);
        this.command = List.copyOf(args);
        this.readyMarker = "READY ";
    }

    /** A JVM started with {@code command} (given the port), ready when a line contains {@code readyMarker}. */
    private ServerProcess(String name, Path outDir, java.util.function.IntFunction<List<String>> command,
            String readyMarker) throws IOException {
        this.name = name;
        this.port = freePort();
        this.log = outDir.resolve(name + ".log");
        Files.createDirectories(outDir);
        Files.deleteIfExists(log);
        this.command = List.copyOf(command.apply(port));
        this.readyMarker = readyMarker;
    }

    /** The Spring Boot orders sample on {@code db}, its tables under {@code prefix}. */
    static ServerProcess springOrders(String name, Harness.Database db, String prefix, Path outDir,
            List<String> extraProperties) throws IOException {
        return springOrders(name, db, db.url, prefix, outDir, extraProperties);
    }

    /** The Spring Boot orders sample reaching {@code db} at {@code jdbcUrl} (through a proxy, say). */
    static ServerProcess springOrders(String name, Harness.Database db, String jdbcUrl, String prefix, Path outDir,
            List<String> extraProperties) throws IOException {
        return new ServerProcess(name, outDir, port -> SpringOrders.command(javaBinary(), db, jdbcUrl, prefix, port, name,
                extraProperties), SpringOrders.READY_MARKER);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + Harness.PATH);
    }

    /** Starts the JVM and returns once it accepts requests. */
    synchronized void start() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        starts++;
        CountDownLatch ready = new CountDownLatch(1);
        Thread pump = new Thread(() -> pump(p, ready), name + "-output");
        pump.setDaemon(true);
        pump.start();
        // A bound for a server that never comes up (the wait itself ends at READY).
        if (!ready.await(2, TimeUnit.MINUTES) || !p.isAlive()) {
            p.destroyForcibly();
            throw new IOException(name + " did not start; see " + log);
        }
        this.process = p;
    }

    private void pump(Process p, CountDownLatch ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            out.println("---- start " + starts + " (pid " + p.pid() + ")");
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains(readyMarker)) {
                    ready.countDown();
                }
                out.println(line);
                out.flush();
            }
        } catch (IOException e) {
            // the process is gone; nothing more to copy
        } finally {
            ready.countDown();
        }
    }

    /** SIGKILL: no shutdown hook, no lease given back, in-flight handlers cut wherever they are. */
    synchronized void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The resident set size in KiB, or -1 when it cannot be read. */
    long rssKib() {
        Process p = process;
        if (p == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    int starts() {
        return starts;
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Under surefire the real classpath is in surefire.test.class.path; run.sh starts a plain JVM. */
    static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}

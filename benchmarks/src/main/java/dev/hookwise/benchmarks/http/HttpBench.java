package dev.hookwise.benchmarks.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwise.benchmarks.Load;
import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.benchmarks.Results;
import dev.hookwise.testkit.WebhookSigner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load against {@link BenchServer}, which runs as a separate JVM: this process is the load
 * generator (java.net.http, HTTP/1.1 keep-alive, a fixed thread pool, a fixed duration), the
 * server is measured from outside ({@code VmRSS}/{@code VmHWM} from {@code /proc/<pid>/status})
 * and from inside (heap, handled count, over its control port).
 *
 * <p>Two load shapes:
 * <ul>
 *   <li><b>open loop</b> at a fixed rate: request {@code i} is due at {@code start + i/rate}, and its
 *       latency is measured from when it was due, not from when a free client thread sent it, so a
 *       stalled server is charged for the requests that queued behind the stall (no coordinated
 *       omission);</li>
 *   <li><b>closed loop</b>: every client thread sends its next request as soon as the last one is
 *       answered: the throughput ceiling.</li>
 * </ul>
 * Every request is a new, correctly signed ~2 KB {@code payment_intent.succeeded}; the bodies are
 * built and signed before the clock starts.
 */
public final class HttpBench {

    record Phase(String name, String mode, String store, boolean openLoop, int rate, int clientThreads,
            int seconds, boolean jfr, List<String> serverJvm) {}

    static final String TUNED = "tuned (4 threads, poll 10 ms, batch 50)";
    static final String DEFAULTS = "defaults (2 threads, poll 1 s, batch 20)";

    /** A small-footprint server JVM: a 96 MB heap and the serial collector. */
    static final List<String> SMALL = List.of("-Xmx96m", "-XX:+UseSerialGC");

    /** The JDK HTTP server's default, which WebhookServer overrides unless the property is set: Nagle on. */
    static final String NAGLE = "-Dsun.net.httpserver.nodelay=false";

    /** Switches the JDK HTTP server's TCP_NODELAY on (it is off by default: Nagle's algorithm applies). */
    static final String NODELAY = "-Dsun.net.httpserver.nodelay=true";

    public static void main(String[] args) throws Exception {
        boolean quick = Boolean.parseBoolean(Results.arg(args, "quick", "true"));
        Path jar = Path.of(Results.arg(args, "jar", "benchmarks/target/benchmarks.jar"));
        Path out = Path.of(Results.arg(args, "out", "benchmarks/results/http.json"));
        Path jfrDir = Path.of(Results.arg(args, "jfr-dir", "benchmarks/results/tmp"));
        String serverHeap = Results.arg(args, "server-heap", "256m");
        int rate = Integer.parseInt(Results.arg(args, "rate", "2000"));
        int rateSeconds = Integer.parseInt(Results.arg(args, "rate-seconds", quick ? "8" : "60"));
        int maxSeconds = quick ? 5 : 30;
        int drainEvents = quick ? 3_000 : 50_000;
        int drainWait = quick ? 8 : 120;
        int defaultsDrainWait = quick ? 4 : 30;
        List<String> only = List.of(Results.arg(args, "phases", "all").split(","));
        Files.createDirectories(jfrDir);

        // The in-memory inbox keeps every queued payload until the worker drains it, and the default
        // worker drains far less than 2,000/s: a 60 s run queues ~120,000 events (~280 MB), so the full
        // run gives those phases a heap that holds them (and keeps them out of the RSS target).
        List<String> backlogHeap = quick ? List.of() : List.of("-Xmx768m");
        List<String> nagleBacklog = new ArrayList<>(List.of(NAGLE));
        nagleBacklog.addAll(backlogHeap);
        List<Phase> phases = new ArrayList<>(List.of(
                new Phase("sync-max", "sync", "memory", false, 0, 32, maxSeconds, false, List.of()),
                new Phase("async-max", "async", "memory", false, 0, 32, maxSeconds, false, List.of()),
                new Phase("async-rate", "async", "memory", true, rate, 64, rateSeconds, true, backlogHeap),
                // The baseline: the JDK server's own default, Nagle's algorithm on (WebhookServer turns it off).
                new Phase("async-rate-jdk-default", "async", "memory", true, rate, 64, rateSeconds, false, nagleBacklog),
                // A small footprint for small machines, 8 s in both modes (its heap cannot hold a minute of backlog).
                new Phase("async-rate-small", "async", "memory", true, rate, 64, 8, false, SMALL),
                new Phase("sync-postgresql-max", "sync", "postgresql", false, 0, 16, maxSeconds, false, List.of()),
                // Issue 16: the acknowledgement target with the event log on PostgreSQL, the worker draining meanwhile.
                new Phase("async-rate-postgresql", "async", "postgresql", true, rate, 64, rateSeconds, true, List.of())));
        if (!quick) {
            // Not needed for a target; the full run has the time for it.
            phases.add(1, new Phase("sync-rate", "sync", "memory", true, rate, 64, rateSeconds, false, List.of()));
        }
        afterLoadWait = quick ? 2 : 60;

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("serverJvm", "-Xmx" + serverHeap + " (default GC)");
        result.put("loadStart", Load.now());
        List<Map<String, Object>> runs = new ArrayList<>();
        result.put("runs", runs);
        for (Phase phase : phases) {
            if (only.contains("all") || only.contains(phase.name())) {
                runs.add(runPhase(jar, serverHeap, jfrDir, phase));
                Results.write(out, result);
            }
        }
        if (only.contains("all") || only.contains("drain")) {
            List<Map<String, Object>> drains = new ArrayList<>();
            boolean pgInbox = Boolean.parseBoolean(Results.arg(args, "postgresql-inbox", "false"));
            List<String> tuned = List.of("--worker-threads", "4", "--poll-ms", "10", "--batch-size", "50");
            if (pgInbox) {
                List<String> pgTuned = new ArrayList<>(List.of("--store", "postgresql"));
                pgTuned.addAll(tuned);
                drains.add(drain(jar, serverHeap, drainEvents, drainWait, TUNED, pgTuned, jfrDir.resolve("drain-postgresql.jfr")));
                drains.add(drain(jar, serverHeap, drainEvents, defaultsDrainWait, DEFAULTS, List.of("--store", "postgresql"), null));
            }
            if (!pgInbox || !quick) {
                drains.add(drain(jar, serverHeap, drainEvents, drainWait, TUNED, tuned, null));
                drains.add(drain(jar, serverHeap, drainEvents, defaultsDrainWait, DEFAULTS, List.of(), null));
            }
            result.put("drain", drains);
        }
        String springCp = Results.arg(args, "spring-classpath", "");
        if (!springCp.isEmpty() && (only.contains("all") || only.contains("spring"))) {
            System.out.println("== spring: samples/spring-boot-orders, closed loop");
            Map<String, Object> spring = SpringSample.run(Path.of(springCp),
                    Path.of(Results.arg(args, "spring-classes", "samples/spring-boot-orders/target/classes")), serverHeap,
                    maxSeconds, quick ? 5_000 : 60_000, jfrDir.resolve("spring.log"));
            System.out.println("   " + spring);
            result.put("spring", spring);
        }
        result.put("serverErrors", SERVER_ERRORS);
        result.put("loadEnd", Load.now());
        Results.write(out, result);
        System.out.println("wrote " + out);
    }

    /** How long to wait, after an asynchronous run, for the worker to finish what was accepted. */
    static int afterLoadWait = 20;

    // ---------------------------------------------------------------- one phase

    static Map<String, Object> runPhase(Path jar, String heap, Path jfrDir, Phase phase) throws Exception {
        int total = phase.openLoop() ? phase.rate() * phase.seconds() : estimateClosedLoopEvents(phase);
        System.out.printf("== %s: %s mode, %s store, %s, %d s (%d events prepared)%n", phase.name(), phase.mode(),
                phase.store(), phase.openLoop() ? phase.rate() + "/s open loop" : phase.clientThreads() + " threads closed loop",
                phase.seconds(), total);
        List<String> extra = new ArrayList<>(phase.serverJvm());
        Path jfrFile = jfrDir.resolve(phase.name() + ".jfr");
        if (phase.jfr()) {
            Files.deleteIfExists(jfrFile);
            extra.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile,dumponexit=true");
        }
        try (Server server = Server.start(jar, heap, extra, List.of("--mode", phase.mode(), "--store", phase.store()))) {
            Requests requests = Requests.prepare(total);
            warmUp(server, 800);
            RssSampler rss = new RssSampler(server.pid());
            String loadStart = Load.now();
            Measured m = phase.openLoop()
                    ? openLoop(server.webhookUri(), requests, phase.rate(), phase.seconds(), phase.clientThreads())
                    : closedLoop(server.webhookUri(), requests, phase.seconds(), phase.clientThreads());
            String loadEnd = Load.now();
            rss.stop();
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("phase", phase.name());
            run.put("mode", phase.mode());
            run.put("store", phase.store());
            run.put("load", phase.openLoop() ? "open loop" : "closed loop");
            if (phase.openLoop()) {
                run.put("targetRate", phase.rate());
            }
            run.put("clientThreads", phase.clientThreads());
            run.put("serverJvmExtra", String.join(" ", phase.serverJvm()));
            run.put("seconds", m.seconds());
            run.put("sent", m.sent());
            run.put("ok", m.ok());
            run.put("notOk", m.notOk());
            run.put("throughput", m.ok() / m.seconds());
            run.putAll(m.latencyMillis());
            run.put("loadStart", loadStart);
            run.put("loadEnd", loadEnd);
            if (phase.mode().equals("async")) {
                // The worker may still be draining what the endpoint accepted: wait for it.
                long expected = m.ok() + server.warmUpOk;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(afterLoadWait);
                long endOfLoad = System.nanoTime();
                JsonNode stats = server.stats("");
                while (stats.get("handled").asLong() < expected && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    stats = server.stats("");
                }
                run.put("handledAfterLoad", stats.get("handled").asLong());
                run.put("accepted", expected);
                run.put("drainedSecondsAfterLoad", stats.get("handled").asLong() >= expected
                        ? (stats.get("lastHandledNanos").asLong() - (stats.get("nowNanos").asLong() - (System.nanoTime() - endOfLoad))) / 1e9
                        : null);
            }
            JsonNode stats = server.stats("gc");
            run.put("rssMaxMb", rss.maxKb() / 1024.0);
            run.put("rssEndMb", server.rssKb("VmRSS") / 1024.0);
            run.put("rssHwmMb", server.rssKb("VmHWM") / 1024.0);
            run.put("heapUsedMb", stats.get("heapUsedBytes").asLong() / 1048576.0);
            run.put("heapCommittedMb", stats.get("heapCommittedBytes").asLong() / 1048576.0);
            run.put("heapAfterGcMb", stats.get("heapUsedAfterGcBytes").asLong() / 1048576.0);
            if (phase.jfr()) {
                run.put("jfr", jfrFile.toString());
            }
            System.out.println("   " + run);
            return run;
        }
    }

    static int estimateClosedLoopEvents(Phase phase) {
        // Enough for 6,000 answers a second; a run that uses them all up stops early and says so.
        return 6_000 * phase.seconds();
    }

    private static void warmUp(Server server, int n) throws Exception {
        Requests warm = Requests.prepare(n, "evt_WARM");
        Measured m = closedLoop(server.webhookUri(), warm, 3600, 8);
        server.warmUpOk = m.ok();
    }

    // ---------------------------------------------------------------- drain

    static Map<String, Object> drain(Path jar, String heap, int events, int waitSeconds, String workerConfig,
            List<String> workerArgs, Path jfr) throws Exception {
        System.out.printf("== drain, worker %s: %d events queued with the worker stopped, then drained%n",
                workerConfig, events);
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> serverArgs = new ArrayList<>(List.of("--mode", "async", "--start-worker", "false"));
        serverArgs.addAll(workerArgs);
        String store = workerArgs.contains("postgresql") ? "postgresql" : "memory";
        if (store.equals("memory")) {
            serverArgs.addAll(List.of("--store", "memory"));
        }
        // TCP_NODELAY only so that filling the inbox is quick; the drain does not touch HTTP.
        List<String> jvm = new ArrayList<>(List.of(NODELAY));
        if (jfr != null) {
            Files.deleteIfExists(jfr);
            jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        try (Server server = Server.start(jar, heap, jvm, serverArgs)) {
            Requests requests = Requests.prepare(events);
            Measured filled = closedLoop(server.webhookUri(), requests, 3600, 16);
            String loadStart = Load.now();
            server.post("/worker/start");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
            JsonNode stats = server.stats("");
            while (stats.get("handled").asLong() < filled.ok() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                stats = server.stats("");
            }
            long handled = stats.get("handled").asLong();
            long elapsed = (handled >= filled.ok() ? stats.get("lastHandledNanos").asLong() : stats.get("nowNanos").asLong())
                    - stats.get("workerStartNanos").asLong();
            out.put("store", store);
            out.put("worker", workerConfig);
            out.put("queued", filled.ok());
            out.put("handled", handled);
            out.put("complete", handled >= filled.ok());
            out.put("seconds", elapsed / 1e9);
            out.put("eventsPerSecond", handled / (elapsed / 1e9));
            out.put("loadStart", loadStart);
            out.put("loadEnd", Load.now());
            System.out.println("   " + out);
        }
        return out;
    }

    // ---------------------------------------------------------------- load shapes

    record Measured(double seconds, long sent, long ok, Map<Integer, Long> notOk, Map<String, Object> latencyMillis) {}

    static Measured openLoop(URI uri, Requests requests, int rate, int seconds, int threads) throws Exception {
        int total = Math.min(requests.size(), rate * seconds);
        long periodNanos = 1_000_000_000L / rate;
        long[] latencies = new long[total];
        Arrays.fill(latencies, -1);
        AtomicInteger next = new AtomicInteger();
        LongAdder ok = new LongAdder();
        Map<Integer, Long> notOk = new ConcurrentHashMap<>();
        HttpClient client = client(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + i * periodNanos;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    int status = send(client, uri, requests, i);
                    latencies[i] = System.nanoTime() - due;
                    count(status, ok, notOk);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 300L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Measured(elapsed, total, ok.sum(), notOk, percentiles(latencies, total));
    }

    static Measured closedLoop(URI uri, Requests requests, int seconds, int threads) throws Exception {
        long[] latencies = new long[requests.size()];
        AtomicInteger next = new AtomicInteger();
        LongAdder ok = new LongAdder();
        Map<Integer, Long> notOk = new ConcurrentHashMap<>();
        HttpClient client = client(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong lastEnd = new AtomicLong(start);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    int i = next.getAndIncrement();
                    if (i >= requests.size()) {
                        break;
                    }
                    long sentAt = System.nanoTime();
                    int status = send(client, uri, requests, i);
                    long now = System.nanoTime();
                    latencies[i] = now - sentAt;
                    lastEnd.accumulateAndGet(now, Math::max);
                    count(status, ok, notOk);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 300L, TimeUnit.SECONDS);
        int sent = Math.min(next.get(), requests.size());
        double elapsed = (lastEnd.get() - start) / 1e9;
        Map<String, Object> lat = percentiles(latencies, sent);
        if (sent >= requests.size()) {
            lat.put("note", "ran out of prepared events before the time was up");
        }
        return new Measured(elapsed, sent, ok.sum(), notOk, lat);
    }

    private static int send(HttpClient client, URI uri, Requests requests, int i) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", requests.headers[i])
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(requests.bodies[i]))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -2;
        }
    }

    private static void count(int status, LongAdder ok, Map<Integer, Long> notOk) {
        if (status >= 200 && status < 300) {
            ok.increment();
        } else {
            notOk.merge(status, 1L, Long::sum);
        }
    }

    private static HttpClient client(int threads) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(Math.max(2, threads / 8), r -> {
                    Thread t = new Thread(r, "loadgen-http");
                    t.setDaemon(true);
                    return t;
                }))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Map<String, Object> percentiles(long[] nanos, int n) {
        long[] done = Arrays.stream(nanos, 0, n).filter(v -> v >= 0).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        if (done.length == 0) {
            return out;
        }
        out.put("p50Ms", at(done, 0.50));
        out.put("p90Ms", at(done, 0.90));
        out.put("p99Ms", at(done, 0.99));
        out.put("p999Ms", at(done, 0.999));
        out.put("maxMs", done[done.length - 1] / 1e6);
        return out;
    }

    private static double at(long[] sorted, double q) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    // ---------------------------------------------------------------- events

    /** Signed bodies with distinct ids, prepared before a measurement starts. */
    static final class Requests {
        final byte[][] bodies;
        final String[] headers;

        Requests(int n) {
            bodies = new byte[n][];
            headers = new String[n];
        }

        int size() {
            return bodies.length;
        }

        static Requests prepare(int n) {
            return prepare(n, null);
        }

        private static long runTag = System.nanoTime() % 1_000_000_000L;
        private static final AtomicLong used = new AtomicLong();

        static Requests prepare(int n, String ignoredPrefix) {
            byte[] template = Payloads.template();
            int offset = Payloads.idOffset(template);
            WebhookSigner signer = WebhookSigner.forSecret(BenchServer.SECRET);
            Instant now = Instant.now();
            Requests r = new Requests(n);
            long base = runTag * 1_000_000_000L + used.getAndAdd(n);
            for (int i = 0; i < n; i++) {
                r.bodies[i] = Payloads.withId(template, offset, base + i);
                r.headers[i] = signer.sign(r.bodies[i], now);
            }
            return r;
        }
    }

    // ---------------------------------------------------------------- the server process

    /** Exception lines the server processes printed, in order; reported with the run they happened in. */
    static final List<String> SERVER_ERRORS = new java.util.concurrent.CopyOnWriteArrayList<>();

    static final class Server implements AutoCloseable {
        final Process process;
        final int webhookPort;
        final int controlPort;
        final HttpClient control = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long warmUpOk;

        private Server(Process process, int webhookPort, int controlPort) {
            this.process = process;
            this.webhookPort = webhookPort;
            this.controlPort = controlPort;
        }

        static Server start(Path jar, String heap, List<String> jvmExtra, List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + heap);
            cmd.addAll(jvmExtra);
            cmd.add("-cp");
            cmd.add(jar.toString());
            cmd.add(BenchServer.class.getName());
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("PORTS ")) {
                    String[] f = line.split(" ");
                    Server s = new Server(p, Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                    Thread drainOutput = new Thread(() -> {
                        try {
                            for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                                if (!l.startsWith("[")) {
                                    System.out.println("   server: " + l);
                                }
                                if (l.contains("Exception") && !l.startsWith("\t") && !l.startsWith("   ")) {
                                    SERVER_ERRORS.add(l.strip());
                                }
                            }
                        } catch (IOException ignored) {
                            // the server exited
                        }
                    }, "server-output");
                    drainOutput.setDaemon(true);
                    drainOutput.start();
                    return s;
                }
                System.out.println("   server: " + line);
            }
            throw new IOException("the benchmark server exited before it was ready: " + "exit code " + waitQuietly(p));
        }

        private static String waitQuietly(Process p) {
            try {
                return Integer.toString(p.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }

        long pid() {
            return process.pid();
        }

        URI webhookUri() {
            return URI.create("http://127.0.0.1:" + webhookPort + "/stripe/webhook");
        }

        JsonNode stats(String query) throws IOException, InterruptedException {
            HttpResponse<String> r = control.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + controlPort + "/stats?" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Results.JSON.readTree(r.body());
        }

        void post(String path) throws IOException, InterruptedException {
            control.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        }

        long rssKb(String field) {
            return RssSampler.read(process.pid(), field);
        }

        @Override
        public void close() throws Exception {
            try {
                post("/stop");
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Samples the server's resident set every 200 ms. */
    static final class RssSampler {
        private final long pid;
        private final AtomicLong max = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        RssSampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(() -> {
                while (running) {
                    max.accumulateAndGet(read(pid, "VmRSS"), Math::max);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            max.accumulateAndGet(read(pid, "VmRSS"), Math::max);
        }

        long maxKb() {
            return max.get();
        }

        static long read(long pid, String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith(field + ":")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }
    }
}

package dev.hookwise.benchmarks.http;

import dev.hookwise.benchmarks.Load;
import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.testkit.WebhookSigner;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spring Boot orders sample ({@code samples/spring-boot-orders}) under the same closed-loop
 * load as the quickstart's endpoint: started as its own JVM from its built classes and runtime
 * classpath (H2 in memory, synchronous mode as the sample pins it, Tomcat), orders created through
 * its {@code PUT /orders/{id}} before the clock starts, then one signed {@code payment_intent.created}
 * per order, which moves it from pending to pending_payment (a processed event with a state
 * transition and its history row, all in H2).
 */
final class SpringSample {
    static final String SECRET = "whsec_spring_boot_orders_development_only";
    static final String MAIN = "dev.hookwise.samples.springorders.OrdersApplication";

    private SpringSample() {}

    static Map<String, Object> run(Path classpathFile, Path classes, String heap, int seconds, int events, Path log)
            throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sample", "samples/spring-boot-orders (H2 in memory, hookwise.mode=sync, Tomcat)");
        if (!Files.exists(classpathFile) || !Files.isDirectory(classes)) {
            out.put("started", false);
            out.put("reason", "not built: " + classpathFile + " or " + classes + " missing");
            return out;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-cp", classes + ":" + Files.readString(classpathFile).trim(), MAIN, "--server.port=" + port,
                "--server.address=127.0.0.1", "--logging.level.root=WARN");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        URI base = URI.create("http://127.0.0.1:" + port);
        long start = System.nanoTime();
        boolean ready = false;
        while (p.isAlive() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120)) {
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    ready = true;
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        if (!ready) {
            out.put("started", false);
            List<String> lines = Files.readAllLines(log);
            out.put("reason", "did not answer /actuator/health within 120 s; last log lines: "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            p.destroyForcibly();
            return out;
        }
        try {
            out.put("started", true);
            out.put("startupSeconds", (System.nanoTime() - start) / 1e9);
            long warm = 500;
            long base0 = System.nanoTime() % 1_000_000_000L * 1_000_000L;
            HttpBench.Requests warmUp = requests(base0, (int) warm);
            createOrders(client, base, base0, (int) warm);
            HttpBench.closedLoop(base.resolve("/stripe/webhook"), warmUp, 600, 16);
            HttpBench.Requests measured = requests(base0 + warm, events);
            createOrders(client, base, base0 + warm, events);
            HttpBench.RssSampler rss = new HttpBench.RssSampler(p.pid());
            String loadStart = Load.now();
            HttpBench.Measured m = HttpBench.closedLoop(base.resolve("/stripe/webhook"), measured, seconds, 16);
            String loadEnd = Load.now();
            rss.stop();
            out.put("load", "closed loop");
            out.put("clientThreads", 16);
            out.put("seconds", m.seconds());
            out.put("sent", m.sent());
            out.put("ok", m.ok());
            out.put("notOk", m.notOk());
            out.put("throughput", m.ok() / m.seconds());
            out.putAll(m.latencyMillis());
            out.put("rssMaxMb", rss.maxKb() / 1024.0);
            out.put("rssEndMb", HttpBench.RssSampler.read(p.pid(), "VmRSS") / 1024.0);
            out.putAll(heap(p.pid()));
            out.put("loadStart", loadStart);
            out.put("loadEnd", loadEnd);
            out.put("jvm", "-Xmx" + heap);
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return out;
    }

    private static HttpBench.Requests requests(long first, int n) {
        byte[] template = Payloads.orderTemplate();
        WebhookSigner signer = WebhookSigner.forSecret(SECRET);
        Instant now = Instant.now();
        HttpBench.Requests r = new HttpBench.Requests(n);
        for (int i = 0; i < n; i++) {
            r.bodies[i] = Payloads.withIdAndOrder(template, first + i);
            r.headers[i] = signer.sign(r.bodies[i], now);
        }
        return r;
    }

    private static void createOrders(HttpClient client, URI base, long first, int n) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int t = 0; t < 16; t++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    try {
                        client.send(HttpRequest.newBuilder(base.resolve("/orders/" + Payloads.orderFor(first + i)))
                                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                    } catch (IOException e) {
                        // the event for this order will be answered as early; counted there
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }

    /** Heap used and committed, from {@code jcmd <pid> GC.heap_info} (the sample exposes no heap metric of its own). */
    private static Map<String, Object> heap(long pid) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(20, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(text);
            if (m.find()) {
                out.put("heapCommittedMb", Long.parseLong(m.group(1)) / 1024.0);
                out.put("heapUsedMb", Long.parseLong(m.group(2)) / 1024.0);
            }
        } catch (IOException e) {
            out.put("heapError", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

}

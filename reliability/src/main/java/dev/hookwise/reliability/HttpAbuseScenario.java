package dev.hookwise.reliability;

import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 5: HTTP abuse against one server JVM. At once: slow-loris connections that trickle
 * their headers, 10 MiB bodies, and seeded fuzzed requests (headers and bodies, half of them
 * correctly signed over the mutated body); meanwhile a normal signed delivery every 200 ms. No
 * answer may be 5xx, the server's RSS stays bounded, and the normal deliveries are answered.
 */
final class HttpAbuseScenario {

    /** The scenario's size. */
    record Config(String name, int fuzzedRequests, int slowLorisConnections, int bigBodies, int fuzzThreads, long seed) {}

    private static final String[] TYPES = {"payment_intent.succeeded", "charge.refunded", "customer.created", "", "x",
            "payment_intent.succeeded\u0000", "invoice.paid"};

    private HttpAbuseScenario() {}

    static ScenarioResult run(Harness.Database db, Config config, String mode, Path out) throws Exception {
        return run(db, Harness.Sut.WEBHOOK_SERVER, config, mode, out);
    }

    /**
     * With {@link Harness.Sut#SPRING_ORDERS} the server is the Spring Boot orders sample (embedded
     * Tomcat, the starter's endpoint), the same abuse against its {@code POST /stripe/webhook}.
     */
    static ScenarioResult run(Harness.Database db, Harness.Sut sut, Config config, String mode, Path out) throws Exception {
        boolean spring = sut == Harness.Sut.SPRING_ORDERS;
        ScenarioResult result = new ScenarioResult(config.name(), db.label(), mode);
        String prefix = Harness.prefix("abuse");
        if (spring) {
            SpringOrders.prepare(db, prefix, 8); // the orders the fuzzed and normal events name: ord_0 … ord_7
        } else {
            Harness.createTables(db, prefix);
        }
        long started = System.nanoTime();
        String name = "abuse-" + (spring ? "spring-" : "") + db.name().toLowerCase(java.util.Locale.ROOT);
        try (ServerProcess server = spring ? ServerProcess.springOrders(name, db, prefix, out, List.of())
                : new ServerProcess(name, db, prefix, out, List.of())) {
            server.start();
            long rssAtStart = server.rssKib();
            AtomicLong rssMax = new AtomicLong(rssAtStart);
            AtomicBoolean stop = new AtomicBoolean();
            Map<Integer, LongAdder> fuzzAnswers = new ConcurrentHashMap<>();
            LongAdder normalOk = new LongAdder();
            LongAdder normalFailed = new LongAdder();
            LongAdder slowLorisCut = new LongAdder();
            Map<Integer, LongAdder> bigAnswers = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(config.fuzzThreads() + 4, LoadGenerator.daemon("abuse"));
            List<java.util.concurrent.Future<?>> background = new ArrayList<>();
            background.add(pool.submit(() -> sampleRss(server, rssMax, stop)));
            background.add(pool.submit(() -> normalDeliveries(server.uri(), prefix, normalOk, normalFailed, stop)));
            background.add(pool.submit(() -> slowLoris(server.uri(), config.slowLorisConnections(), slowLorisCut, stop)));
            background.add(pool.submit(() -> bigBodies(server.uri(), config.bigBodies(), bigAnswers)));
            List<java.util.concurrent.Future<?>> fuzzers = new ArrayList<>();
            int perThread = config.fuzzedRequests() / config.fuzzThreads();
            for (int t = 0; t < config.fuzzThreads(); t++) {
                long seed = config.seed() * 31 + t;
                fuzzers.add(pool.submit(() -> fuzz(server.uri(), perThread, seed, fuzzAnswers)));
            }
            for (var f : fuzzers) {
                f.get();
            }
            stop.set(true);
            for (var f : background) {
                f.get(3, TimeUnit.MINUTES); // a bound for a stuck helper, not a timing claim
            }
            pool.shutdownNow();
            boolean stillServing = normalDelivery(HttpClient.newHttpClient(), server.uri(), prefix, "after");

            Map<Integer, Long> fuzz = sum(fuzzAnswers);
            long fuzz5xx = fuzz.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
            long big5xx = sum(bigAnswers).entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
            long notSent = fuzz.getOrDefault(-2, 0L);
            result.put("system under test", spring ? "Spring Boot orders sample (async, embedded Tomcat)"
                            : "WebhookServer (async)")
                    .put("fuzzed requests", (long) perThread * config.fuzzThreads())
                    .put("fuzzed answers by status (-1: no answer, -2: not sent, the server had stopped answering)", fuzz)
                    .put("10 MiB bodies: answers by status", sum(bigAnswers))
                    .put("slow-loris connections", config.slowLorisConnections())
                    .put("slow-loris connections closed by the server", slowLorisCut.sum())
                    .put("normal deliveries answered 2xx", normalOk.sum())
                    .put("normal deliveries not answered 2xx", normalFailed.sum())
                    .put("server RSS at start (MiB)", rssAtStart / 1024)
                    .put("server RSS max (MiB)", rssMax.get() / 1024)
                    .put("server heap limit (MiB)", 256);
            result.check(notSent == 0, "the server answered until the end (it stopped answering: see its log)")
                    .check(fuzz5xx == 0, "0 answers 5xx to fuzzed input")
                    .check(big5xx == 0, "0 answers 5xx to 10 MiB bodies")
                    .check(normalFailed.sum() == 0 && normalOk.sum() > 0, "normal deliveries answered 2xx throughout")
                    .check(stillServing, "a normal delivery answered after the abuse")
                    .check(rssMax.get() < 768 * 1024, "server RSS below 768 MiB");
            if (spring && slowLorisCut.sum() < config.slowLorisConnections()) {
                result.notes.add((config.slowLorisConnections() - slowLorisCut.sum()) + " of "
                        + config.slowLorisConnections() + " slow-loris connections were still open when the abuse"
                        + " ended: Tomcat's NIO connector waits for a connection's headers on its poller, without a"
                        + " request thread, and the normal deliveries went on meanwhile.");
            }
        } finally {
            result.seconds = KillNineScenario.round((System.nanoTime() - started) / 1e9);
            Harness.dropTables(db, prefix);
        }
        return result;
    }

    /** Consecutive requests without an answer after which a fuzzing thread gives up: the server stopped answering. */
    private static final int GIVE_UP_AFTER_SILENCES = 20;

    private static void fuzz(URI uri, int requests, long seed, Map<Integer, LongAdder> answers) {
        int silences = 0;
        Random random = new Random(seed);
        WebhookSigner signer = WebhookSigner.forSecret(Harness.SECRET);
        List<TestEvent> bases = LoadGenerator.events("fz" + seed, 8);
        byte[] request = null;
        for (int i = 0; i < requests; i++) {
            byte[] body = mutate(bases.get(random.nextInt(bases.size())).bytes(), random);
            boolean signed = random.nextBoolean();
            String signature = signed ? signer.sign(body, Instant.now()) : garbageSignature(random);
            StringBuilder head = new StringBuilder("POST ").append(uri.getPath()).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\nConnection: close\r\n");
            if (random.nextInt(10) != 0) {
                head.append("Stripe-Signature: ").append(signature).append("\r\n");
            }
            if (random.nextInt(4) == 0) {
                head.append("Stripe-Signature: ").append(garbageSignature(random)).append("\r\n"); // repeated header
            }
            if (random.nextInt(5) == 0) {
                head.append("Content-Type: ").append(random.nextBoolean() ? "text/plain" : "application/json; charset=latin1")
                        .append("\r\n");
            }
            if (random.nextInt(8) == 0) {
                head.append("X-Forwarded-For: ").append(random.nextBoolean() ? "not-an-ip, ::1" : "3.18.12.63").append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            request = concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
            int status = exchange(uri, request);
            answers.computeIfAbsent(status, s -> new LongAdder()).increment();
            silences = status == -1 ? silences + 1 : 0;
            if (silences >= GIVE_UP_AFTER_SILENCES) {
                answers.computeIfAbsent(-2, s -> new LongAdder()).add(requests - i - 1L); // never sent
                return;
            }
        }
    }

    /** One of several mutations of a real event: truncation, flipped bytes, changed fields, junk. */
    static byte[] mutate(byte[] original, Random random) {
        String json = new String(original, StandardCharsets.UTF_8);
        return switch (random.nextInt(9)) {
            case 0 -> original.clone(); // unchanged (a duplicate when signed)
            case 1 -> java.util.Arrays.copyOf(original, random.nextInt(original.length)); // truncated
            case 2 -> {
                byte[] b = original.clone();
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                yield b;
            }
            case 3 -> json.replaceFirst("\"type\":\"[^\"]*\"", "\"type\":\"" + escape(TYPES[random.nextInt(TYPES.length)]) + "\"")
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> json.replaceFirst("\"id\":\"evt_[^\"]*\"", "\"id\":" + (random.nextBoolean() ? "null" : "12"))
                    .getBytes(StandardCharsets.UTF_8);
            case 5 -> json.replaceFirst("\"created\":\\d+", "\"created\":" + (random.nextBoolean() ? "-1" : "\"soon\""))
                    .getBytes(StandardCharsets.UTF_8);
            case 6 -> ("[" + json + "]").getBytes(StandardCharsets.UTF_8);
            case 7 -> "{\"a\":".repeat(1 + random.nextInt(5000)).getBytes(StandardCharsets.UTF_8); // deep nesting
            default -> {
                byte[] b = new byte[random.nextInt(4096)];
                random.nextBytes(b);
                yield b;
            }
        };
    }

    private static String escape(String s) {
        return s.replace("\u0000", "\\u0000");
    }

    private static String garbageSignature(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "";
            case 1 -> "t=" + random.nextLong() + ",v1=" + Long.toHexString(random.nextLong());
            case 2 -> "v1=,t=";
            case 3 -> "t=1,v1=" + "ab".repeat(32) + ",v0=zz,v1=" + "0".repeat(64);
            default -> "\u00ff\u00fe" + random.nextInt();
        };
    }

    /** Sends raw bytes, returns the status of the answer or -1 when there was none. */
    private static int exchange(URI uri, byte[] request) {
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] line = new byte[12];
            int n = in.readNBytes(line, 0, 12);
            if (n < 12) {
                return -1;
            }
            return Integer.parseInt(new String(line, 9, 3, StandardCharsets.ISO_8859_1));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void slowLoris(URI uri, int connections, LongAdder cut, AtomicBoolean stop) {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Socket s = new Socket(uri.getHost(), uri.getPort());
                s.getOutputStream().write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            while (!stop.get()) {
                for (Socket s : sockets) {
                    if (s.isClosed()) {
                        continue;
                    }
                    try {
                        s.getOutputStream().write("X-a: b\r\n".getBytes(StandardCharsets.US_ASCII)); // one header at a time
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        cut.increment();
                        s.close();
                    }
                }
                Thread.sleep(1_000); // the trickle's pace
            }
        } catch (IOException | InterruptedException e) {
            // connecting failed or stopping: the counts say what happened
        } finally {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private static void bigBodies(URI uri, int count, Map<Integer, LongAdder> answers) {
        byte[] head = ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: x\r\nStripe-Signature: t=1,v1=00\r\nContent-Length: "
                + (10 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < count; i++) {
            int status;
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                out.write(head);
                try {
                    for (int sent = 0; sent < (10 << 20); sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the server answered early and closed: expected for a body over the limit
                }
                byte[] line = s.getInputStream().readNBytes(12);
                status = line.length < 12 ? -1 : Integer.parseInt(new String(line, 9, 3, StandardCharsets.ISO_8859_1));
            } catch (IOException | NumberFormatException e) {
                status = -1;
            }
            answers.computeIfAbsent(status, k -> new LongAdder()).increment();
        }
    }

    private static void normalDeliveries(URI uri, String prefix, LongAdder ok, LongAdder failed, AtomicBoolean stop) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int i = 0;
        try {
            while (!stop.get()) {
                (normalDelivery(http, uri, prefix, Integer.toString(i++)) ? ok : failed).increment();
                Thread.sleep(200); // the cadence of the normal traffic
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean normalDelivery(HttpClient http, URI uri, String prefix, String suffix) {
        TestEvent event = LoadGenerator.events("normal" + prefix.substring(9, prefix.length() - 1) + "_" + suffix, 1).get(0);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Stripe-Signature", WebhookSigner.forSecret(Harness.SECRET).sign(event.bytes(), Instant.now()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes())).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sampleRss(ServerProcess server, AtomicLong max, AtomicBoolean stop) {
        try {
            while (!stop.get()) {
                max.accumulateAndGet(server.rssKib(), Math::max);
                Thread.sleep(250); // sampling period
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<Integer, Long> sum(Map<Integer, LongAdder> counts) {
        Map<Integer, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

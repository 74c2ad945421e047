package dev.hookwise.benchmarks.report;

import dev.hookwise.benchmarks.Results;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went, from a JFR recording's {@code jdk.ExecutionSample} events: the hottest
 * methods (top frame), the share of samples whose stack passes through each component (a sample
 * counts once per component it touches), and the share per thread group. The same thing as
 * {@code jfr print --events jdk.ExecutionSample} piped through sort | uniq -c, kept as JSON.
 *
 * <pre>
 * java -cp benchmarks.jar dev.hookwise.benchmarks.report.JfrSummary recording.jfr summary.json [label]
 * </pre>
 */
public final class JfrSummary {

    /** Components by package prefix, in the order they are tried. */
    static final List<String[]> COMPONENTS = List.of(
            new String[] {"dev.hookwise.core.internal.EnvelopeParser", "envelope parsing"},
            new String[] {"dev.hookwise.core.signature.SignatureVerifier", "signature check (HMAC-SHA256)"},
            new String[] {"dev.hookwise.core.InMemoryIdempotencyStore", "in-memory store"},
            new String[] {"dev.hookwise.jdbc", "Hookwise JDBC store"},
            new String[] {"dev.hookwise.core.inbox.InboxWorker", "inbox worker"},
            new String[] {"dev.hookwise.core.http", "Hookwise HTTP adapter"},
            new String[] {"com.stripe", "stripe-java (Gson deserialisation)"},
            new String[] {"com.google.gson", "Gson"},
            new String[] {"com.fasterxml.jackson", "Jackson"},
            new String[] {"org.postgresql", "PostgreSQL JDBC driver"},
            new String[] {"org.mariadb", "MariaDB JDBC driver"},
            new String[] {"org.h2", "H2 engine"},
            new String[] {"com.zaxxer.hikari", "HikariCP"},
            new String[] {"sun.net.httpserver", "JDK HTTP server"},
            new String[] {"sun.nio.ch", "NIO sockets"},
            new String[] {"java.net.SocketInputStream", "socket reads"},
            new String[] {"com.sun.crypto", "JCE crypto"},
            new String[] {"sun.security", "JCE crypto"},
            new String[] {"org.slf4j", "logging"},
            new String[] {"io.github.resilience4j", "resilience4j retry"});

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String label = args.length > 2 ? args[2] : file.getFileName().toString();
        Results.write(out, summarize(file, label, 15));
        System.out.println("wrote " + out);
    }

    public static Map<String, Object> summarize(Path file, String label, int top) throws IOException {
        Map<String, Long> topFrames = new LinkedHashMap<>();
        Map<String, Long> components = new LinkedHashMap<>();
        Map<String, Long> threads = new LinkedHashMap<>();
        long samples = 0;
        java.time.Instant first = null;
        java.time.Instant last = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (first == null || e.getStartTime().isBefore(first)) {
                first = e.getStartTime();
            }
            if (last == null || e.getEndTime().isAfter(last)) {
                last = e.getEndTime();
            }
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            topFrames.merge(name(frames.get(0)), 1L, Long::sum);
            Set<String> seen = new LinkedHashSet<>();
            for (RecordedFrame f : frames) {
                String type = f.getMethod().getType().getName();
                for (String[] c : COMPONENTS) {
                    if (type.startsWith(c[0])) {
                        seen.add(c[1]);
                        break;
                    }
                }
            }
            seen.forEach(c -> components.merge(c, 1L, Long::sum));
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", ""), 1L, Long::sum);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recording", label);
        out.put("executionSamples", samples);
        double seconds = first == null ? 0 : java.time.Duration.between(first, last).toMillis() / 1000.0;
        out.put("recordingSeconds", seconds);
        // settings=profile samples running Java threads every 10 ms: samples x 10 ms / seconds ~ busy cores.
        out.put("approxBusyCores", seconds == 0 ? 0 : Math.round(samples * 0.010 / seconds * 100) / 100.0);
        out.put("topFrames", percentages(topFrames, samples, top));
        out.put("componentsInclusive", percentages(components, samples, 20));
        out.put("threads", percentages(threads, samples, 10));
        return out;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static List<Map<String, Object>> percentages(Map<String, Long> counts, long total, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(en -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", en.getKey());
                    m.put("samples", en.getValue());
                    m.put("percent", total == 0 ? 0 : Math.round(1000.0 * en.getValue() / total) / 10.0);
                    return m;
                })
                .collect(Collectors.toList());
    }

}

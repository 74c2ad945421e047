package dev.hookwise.core.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide settings of the JDK's HTTP server that {@link WebhookServer} depends on.
 *
 * <p>The hazard: {@code sun.net.httpserver.ServerConfig} reads its system properties in a static
 * initialiser, once per JVM, when the first {@code com.sun.net.httpserver} server is created, and
 * {@code ServerImpl} copies the deadlines into {@code static final} fields at the same moment. A
 * property set later changes nothing, and every server in the JVM shares the first values. So the
 * properties are set when {@link WebhookServer} is loaded, then (if no JDK server has read them yet)
 * overwritten with the first server's own deadlines just before it is created. Whether they took
 * effect is checked afterwards: the JDK runs its request/response timeout task (a timer thread of
 * its own) only when a deadline was read, so a server created without that thread has none.
 *
 * <p>The application always wins: a property it set (for example on the command line) is never
 * changed.
 */
final class JdkServerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

    /** The JDK server's switch for {@code TCP_NODELAY}. */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    /** Seconds a request (from its first byte to the end of its body) may take; read once per JVM. */
    static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    /** Seconds from the end of a request's body to the end of its answer; read once per JVM. */
    static final String MAX_RESPONSE_TIME_PROPERTY = "sun.net.httpserver.maxRspTime";

    /**
     * Names of the thread of the JDK's request/response timeout task, which a JDK server starts when
     * it is created if (and only if) a deadline is configured: {@code req-rsp-timeout-task} in JDK
     * 17.0.15 and 25, {@code server-timer1} in older JDK 17 builds.
     */
    private static final Set<String> TIMEOUT_TASK_THREADS = Set.of("req-rsp-timeout-task", "server-timer1");
    /** Threads that exist only while some JDK HTTP server runs, i.e. after the JDK read its configuration. */
    private static final Set<String> JDK_SERVER_THREADS =
            Set.of("HTTP-Dispatcher", "idle-timeout-task", "req-rsp-timeout-task", "server-timer1");

    private static final boolean applicationSetRequestTime = System.getProperty(MAX_REQUEST_TIME_PROPERTY) != null;
    private static final boolean applicationSetResponseTime = System.getProperty(MAX_RESPONSE_TIME_PROPERTY) != null;
    /** Whether a JDK server already ran when this class was loaded: then none of our properties can apply. */
    private static final boolean jdkServerRanBefore = anyThreadNamed(JDK_SERVER_THREADS);

    /** Guarded by the class: the deadlines the JDK read, known once the first WebhookServer is created. */
    private static @Nullable Applied applied;

    private JdkServerConfiguration() {}

    /** What the JDK server enforces in this JVM; a deadline is empty when there is none. */
    record Applied(Optional<Duration> requestDeadline, Optional<Duration> responseDeadline) {}

    /**
     * Sets the properties to WebhookServer's defaults unless the application set them. Called from
     * WebhookServer's static initialiser, so that they are in place as early as possible.
     */
    static void setDefaults(Duration requestDeadline, Duration responseDeadline) {
        // Without TCP_NODELAY every keep-alive answer waits for the client's delayed ACK (see WebhookServer).
        setIfAbsent(NODELAY_PROPERTY, "true");
        setIfAbsent(MAX_REQUEST_TIME_PROPERTY, seconds(requestDeadline));
        setIfAbsent(MAX_RESPONSE_TIME_PROPERTY, seconds(responseDeadline));
    }

    /**
     * Creates the JDK server with the wanted deadlines if they can still apply, and reports (WARN) a
     * deadline that does not: one the caller chose that differs from the JDK's, or none at all.
     *
     * @param chosenRequest whether the caller chose {@code requestDeadline} (else it is the default)
     * @param chosenResponse whether the caller chose {@code responseDeadline}
     */
    static synchronized Created create(InetSocketAddress address, Duration requestDeadline, boolean chosenRequest,
            Duration responseDeadline, boolean chosenResponse) throws IOException {
        boolean first = applied == null;
        if (first && !jdkServerRanBefore) {
            if (!applicationSetRequestTime) {
                System.setProperty(MAX_REQUEST_TIME_PROPERTY, seconds(requestDeadline));
            }
            if (!applicationSetResponseTime) {
                System.setProperty(MAX_RESPONSE_TIME_PROPERTY, seconds(responseDeadline));
            }
        }
        HttpServer server = HttpServer.create(address, 0);
        Applied now = applied;
        if (now == null) { // first, read once the server exists
            now = readApplied();
            applied = now;
        }
        warnIfNotApplied("request", MAX_REQUEST_TIME_PROPERTY, requestDeadline, chosenRequest, now.requestDeadline());
        warnIfNotApplied("response", MAX_RESPONSE_TIME_PROPERTY, responseDeadline, chosenResponse,
                now.responseDeadline());
        return new Created(server, now);
    }

    /** A new JDK server and the deadlines it runs with. */
    record Created(HttpServer server, Applied deadlines) {}

    /** Called right after the first server was created, while its timeout task (if any) runs. */
    private static Applied readApplied() {
        if (!anyThreadNamed(TIMEOUT_TASK_THREADS)) {
            return new Applied(Optional.empty(), Optional.empty());
        }
        if (jdkServerRanBefore) {
            // Some deadline is enforced; only one the application set (on the command line, presumably)
            // can have been read by the earlier server. Ours were set too late.
            return new Applied(applicationSetRequestTime ? deadline(MAX_REQUEST_TIME_PROPERTY) : Optional.empty(),
                    applicationSetResponseTime ? deadline(MAX_RESPONSE_TIME_PROPERTY) : Optional.empty());
        }
        return new Applied(deadline(MAX_REQUEST_TIME_PROPERTY), deadline(MAX_RESPONSE_TIME_PROPERTY));
    }

    private static void warnIfNotApplied(String what, String property, Duration wanted, boolean chosen,
            Optional<Duration> actual) {
        // Some deadline is enforced and the caller did not ask for a particular one: nothing to report.
        if (actual.isPresent() && (actual.get().equals(wanted) || !chosen)) {
            return;
        }
        String reason;
        if (jdkServerRanBefore) {
            reason = "a JDK HTTP server ran in this JVM before WebhookServer was loaded, and the JDK reads " + property
                    + " once per JVM";
        } else if (actual.isEmpty() && !anyThreadNamed(TIMEOUT_TASK_THREADS)) {
            reason = "the JDK HTTP server read its configuration before WebhookServer set " + property
                    + " (it reads it once per JVM) or the property holds no positive number of seconds ("
                    + System.getProperty(property) + ")";
        } else if (isApplicationSet(property)) {
            reason = "the application set " + property + "=" + System.getProperty(property) + ", which wins";
        } else {
            reason = "the first WebhookServer in this JVM fixed it at " + actual.map(Duration::toString).orElse("none")
                    + " and the JDK reads " + property + " once per JVM";
        }
        log.warn("The {} deadline {} could not be applied: {}. The JDK HTTP server enforces {}. To choose the deadline,"
                + " set -D{}=<seconds> on the command line.", what, wanted, reason,
                actual.map(d -> d + " for every server in this JVM").orElse("no " + what + " deadline"), property);
    }

    private static boolean isApplicationSet(String property) {
        return MAX_REQUEST_TIME_PROPERTY.equals(property) ? applicationSetRequestTime : applicationSetResponseTime;
    }

    /** The deadline a property holds as the JDK reads it: a positive number of seconds, else none. */
    private static Optional<Duration> deadline(String property) {
        long seconds = Long.getLong(property, -1);
        return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    }

    private static boolean anyThreadNamed(Set<String> names) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            if (names.contains(threads[i].getName())) {
                return true;
            }
        }
        return false;
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static String seconds(Duration d) {
        return Long.toString(d.toSeconds());
    }
}

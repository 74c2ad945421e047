package dev.hookwise.core.http;

import com.sun.net.httpserver.HttpServer;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.WebhookProcessor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook endpoint on the JDK's built-in HTTP server, for applications without a web framework.
 *
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.builder()
 *         .processor(processor)
 *         .address(new InetSocketAddress("0.0.0.0", 8080))
 *         .path("/stripe/webhook")
 *         .threads(16)
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Slow clients.</b> The JDK server reads a request's line and headers on a thread of its
 * executor, blocking, after the first byte arrived; a client that sends one byte every few seconds
 * ("slow loris") would hold that thread for as long as it likes. Three things bound it here:
 * <ul>
 *   <li>Requests are read by <em>connection threads</em> ({@link Builder#connectionThreads}) and
 *       processed by <em>request threads</em> ({@link Builder#threads}): a slow client holds a
 *       connection thread, never a request thread.</li>
 *   <li>The read deadline ({@link Builder#readDeadline}, per server): a connection thread that has
 *       been reading one request (first byte to end of body) for longer has its connection closed.</li>
 *   <li>Longest reader out: when a request starts arriving and every connection thread is busy, the
 *       connection that has been reading its request the longest is closed and its thread reads the
 *       new request. A well-behaved client sends its request at once and is read in microseconds,
 *       so deliveries keep being answered while hundreds of slow connections are open (measured:
 *       RELIABILITY.md, slow-loris-200). Threads answering a request are never chosen.</li>
 * </ul>
 * The JDK's own deadlines apply as well: it closes a connection whose request takes longer than
 * the request deadline, or whose answer is not written within the response deadline after the
 * body was read (that span includes waiting in the queue and processing, so the response deadline
 * must outlast the processor's in-process retries). They are JVM-wide (see below) and checked once
 * a second; the read deadline is this server's own.
 *
 * <p><b>Overload.</b> Request threads are fixed and their queue is bounded
 * ({@link Builder#queueCapacity}); a delivery that finds the queue full is answered 503
 * {@code {"outcome":"overloaded",…}} with {@code Retry-After}, and Stripe delivers it again later.
 *
 * <p><b>The JVM-wide hazard.</b> The deadlines and {@code TCP_NODELAY} are not settings of one server
 * but system properties ({@value #MAX_REQUEST_TIME_PROPERTY}, {@value #MAX_RESPONSE_TIME_PROPERTY},
 * {@value #NODELAY_PROPERTY}) that the JDK reads once per JVM, when the first
 * {@code com.sun.net.httpserver} server is created, and then shares with every server. Loading
 * this class sets them to the defaults (unless the application set them, which always wins); the
 * first WebhookServer sets them to its own deadlines before it creates its JDK server. If another
 * JDK server (a metrics exporter, say) was created first, or a second WebhookServer asks for other
 * deadlines, they cannot apply: starting the server then logs a WARN that names the deadline, the
 * reason and the command-line property that fixes it. {@code TCP_NODELAY} matters too: without it
 * each answer on a keep-alive connection waits for the client's delayed ACK.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

    /** The JDK server's switch for {@code TCP_NODELAY}; set to true unless the application set it. */
    public static final String NODELAY_PROPERTY = JdkServerConfiguration.NODELAY_PROPERTY;
    /** The JDK server's request deadline in seconds (JVM-wide, read once; see the class comment). */
    public static final String MAX_REQUEST_TIME_PROPERTY = JdkServerConfiguration.MAX_REQUEST_TIME_PROPERTY;
    /** The JDK server's response deadline in seconds (JVM-wide, read once; see the class comment). */
    public static final String MAX_RESPONSE_TIME_PROPERTY = JdkServerConfiguration.MAX_RESPONSE_TIME_PROPERTY;

    /** Request threads: deliveries processed at once. */
    public static final int DEFAULT_THREADS = 16;
    /** Deliveries waiting for a request thread before new ones are answered 503 overloaded. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    /** Connection threads: requests read off the network at once (slow clients included). */
    public static final int DEFAULT_CONNECTION_THREADS = 128;
    /**
     * How long a connection thread may read one request, first byte to end of body, before the
     * connection is closed: a 1 MiB body needs 105 KiB/s, a typical Stripe event (a few KiB) 1 KiB/s.
     */
    public static final Duration DEFAULT_READ_DEADLINE = Duration.ofSeconds(10);
    /** From a request's first byte to the end of its body; a 1 MiB body needs 35 KiB/s. */
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(30);
    /** From the end of a request's body to the end of its answer: queueing, processing and writing. */
    public static final Duration DEFAULT_RESPONSE_DEADLINE = Duration.ofSeconds(60);
    /** The endpoint's path. */
    public static final String DEFAULT_PATH = "/stripe/webhook";
    /** The port listened on (all interfaces) unless {@link Builder#address} is given. */
    public static final int DEFAULT_PORT = 8080;
    /** The {@code Retry-After} of 503 overloaded answers: the processor's default. */
    public static final Duration DEFAULT_RETRY_AFTER = WebhookProcessor.DEFAULT_RETRY_AFTER;

    static {
        // As early as possible: the JDK reads these once, when the first JDK server is created.
        JdkServerConfiguration.setDefaults(DEFAULT_REQUEST_DEADLINE, DEFAULT_RESPONSE_DEADLINE);
    }

    private final HttpServer server;
    private final ConnectionThreads connections;
    private final ThreadPoolExecutor requests;
    private final String path;
    private final JdkServerConfiguration.Applied deadlines;

    private WebhookServer(HttpServer server, ConnectionThreads connections, ThreadPoolExecutor requests, String path,
            JdkServerConfiguration.Applied deadlines) {
        this.server = server;
        this.connections = connections;
        this.requests = requests;
        this.path = path;
        this.deadlines = deadlines;
    }

    /** Options for a server; {@link Builder#processor} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving {@code processor} at {@code path} with the default queue and deadlines; a
     * shorthand for {@code builder().processor(processor).address(address).path(path).threads(threads).start()}.
     *
     * @param address where to listen; port 0 picks a free port
     * @param threads request threads
     * @deprecated the bare {@code threads} number reads as nothing at the call site; use
     *     {@link #builder()}, whose options are named ({@code .threads(16)}, {@code .queueCapacity(256)}…)
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    @SuppressWarnings("InlineMeSuggester") // @InlineMe would add a dependency on Error Prone's annotations for users
    public static WebhookServer start(WebhookProcessor processor, InetSocketAddress address, String path, int threads)
            throws IOException {
        return builder().processor(processor).address(address).path(path).threads(threads).start();
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint's URI. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + a.getPort() + path);
    }

    /** Deliveries waiting for a request thread right now. */
    public int queuedRequests() {
        return requests.getQueue().size();
    }

    /** Connection threads reading a request right now (slow clients included). */
    int busyConnectionThreads() {
        return connections.busy();
    }

    /** Requests that started arriving and wait for a connection thread. */
    int waitingForConnectionThread() {
        return connections.waiting();
    }

    /** Connections closed because reading their request took longer than the read deadline. */
    long connectionsClosedPastReadDeadline() {
        return connections.closedPastDeadline();
    }

    /** Connections closed, the longest-reading first, to read a new request while every connection thread was busy. */
    long connectionsClosedToMakeRoom() {
        return connections.closedToMakeRoom();
    }

    /** The request deadline the JDK enforces, as far as this class can tell; empty if none. */
    Optional<Duration> requestDeadline() {
        return deadlines.requestDeadline();
    }

    /** The response deadline the JDK enforces, as far as this class can tell; empty if none. */
    Optional<Duration> responseDeadline() {
        return deadlines.responseDeadline();
    }

    /** Stops accepting, lets requests in flight finish for up to a second, then stops. */
    @Override
    public void close() {
        server.stop(1);
        connections.shutdown();
        requests.shutdown();
        try {
            requests.awaitTermination(5, TimeUnit.SECONDS);
            connections.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builder for {@link WebhookServer}: every option but the processor has a default. */
    public static final class Builder {
        private @Nullable WebhookProcessor processor;
        private InetSocketAddress address = new InetSocketAddress(DEFAULT_PORT);
        private String path = DEFAULT_PATH;
        private int threads = DEFAULT_THREADS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int connectionThreads = DEFAULT_CONNECTION_THREADS;
        private Duration requestDeadline = DEFAULT_REQUEST_DEADLINE;
        private boolean requestDeadlineChosen;
        private Duration responseDeadline = DEFAULT_RESPONSE_DEADLINE;
        private boolean responseDeadlineChosen;
        private Duration readDeadline = DEFAULT_READ_DEADLINE;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;

        private Builder() {}

        /** The processor that answers every delivery; required. */
        public Builder processor(WebhookProcessor value) {
            this.processor = required(value, "processor");
            return this;
        }

        /** Where to listen (default all interfaces, port {@value WebhookServer#DEFAULT_PORT}); port 0 picks a free port. */
        public Builder address(InetSocketAddress value) {
            this.address = required(value, "address");
            return this;
        }

        /** The endpoint's path, starting with {@code /} (default {@value WebhookServer#DEFAULT_PATH}). */
        public Builder path(String value) {
            required(value, "path");
            if (!value.startsWith("/")) {
                throw new HookwiseConfigurationException("path must start with /, but was " + value);
            }
            this.path = value;
            return this;
        }

        /** Request threads, at least 1: deliveries processed at once (default {@value WebhookServer#DEFAULT_THREADS}). */
        public Builder threads(int value) {
            this.threads = atLeast(value, 1, "threads");
            return this;
        }

        /**
         * Deliveries that may wait for a request thread, at least 0 (default
         * {@value WebhookServer#DEFAULT_QUEUE_CAPACITY}); one more is answered 503 overloaded.
         */
        public Builder queueCapacity(int value) {
            this.queueCapacity = atLeast(value, 0, "queueCapacity");
            return this;
        }

        /**
         * Connection threads, at least 1: requests read off the network at once (default
         * {@value WebhookServer#DEFAULT_CONNECTION_THREADS}). Each slow client holds one until the read deadline,
         * or until a new request needs it while all are busy: then the connection that has been reading
         * the longest is closed (see the class comment).
         */
        public Builder connectionThreads(int value) {
            this.connectionThreads = atLeast(value, 1, "connectionThreads");
            return this;
        }

        /**
         * Whole seconds, at least one, that a request may take from its first byte to the end of its
         * body (default 30 s). JVM-wide and read once: see the class comment.
         */
        public Builder requestDeadline(Duration value) {
            this.requestDeadline = wholeSeconds(value, "requestDeadline");
            this.requestDeadlineChosen = true;
            return this;
        }

        /**
         * Whole seconds, at least one, from the end of a request's body to the end of its answer,
         * queueing and processing included (default 60 s). JVM-wide and read once: see the class comment.
         */
        public Builder responseDeadline(Duration value) {
            this.responseDeadline = wholeSeconds(value, "responseDeadline");
            this.responseDeadlineChosen = true;
            return this;
        }

        /**
         * How long a connection thread may read one request, from its first byte to the end of its
         * body, before this server closes the connection (default 10 s, at least 100 ms). Enforced by
         * this server for itself, unlike the JVM-wide {@link #requestDeadline}, and checked every
         * tenth of the deadline (at most every second). A client slower than that (a slow-loris
         * attack, or a stalled network) gets no answer; Stripe delivers again later.
         *
         * <pre>{@code
         * WebhookServer.builder().processor(processor).readDeadline(Duration.ofSeconds(5)).start();
         * }</pre>
         */
        public Builder readDeadline(Duration value) {
            required(value, "readDeadline");
            if (value.compareTo(Duration.ofMillis(100)) < 0) {
                throw new HookwiseConfigurationException("readDeadline must be at least 100 ms, but was " + value);
            }
            this.readDeadline = value;
            return this;
        }

        /** The {@code Retry-After} of 503 overloaded answers, at least one second (default 30 s). */
        public Builder retryAfter(Duration value) {
            required(value, "retryAfter");
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new HookwiseConfigurationException("retryAfter must be at least 1 second, but was " + value);
            }
            this.retryAfter = value;
            return this;
        }

        /** Binds the address and starts serving. */
        public WebhookServer start() throws IOException {
            WebhookProcessor p = processor;
            if (p == null) {
                throw new HookwiseConfigurationException("processor is required: call processor(...) before start()");
            }
            JdkServerConfiguration.Created created = JdkServerConfiguration.create(address, requestDeadline,
                    requestDeadlineChosen, responseDeadline, responseDeadlineChosen);
            HttpServer server = created.server();
            BlockingQueue<Runnable> queue = queueCapacity == 0 ? new SynchronousQueue<>()
                    : new ArrayBlockingQueue<>(queueCapacity);
            // Thread name kept from earlier releases: the benchmarks' profiles look for it.
            ThreadPoolExecutor requests = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue,
                    daemonThreads("hookwise-http"));
            // The JDK closes a connection its executor refuses (ServerImpl.Dispatcher.handle).
            ConnectionThreads connections = new ConnectionThreads(connectionThreads, readDeadline,
                    daemonThreads("hookwise-http-connection"), new ClosesConnection(connectionThreads));
            server.setExecutor(connections);
            server.createContext(path, new JdkHttpWebhookHandler(p, p.maxPayloadBytes(), requests, retryAfter));
            server.start();
            log.info("Webhook endpoint listening on {}{} ({} request threads, queue {}, {} connection threads, read"
                    + " deadline {}, request deadline {}, response deadline {})", server.getAddress(), path, threads,
                    queueCapacity, connectionThreads, readDeadline, describe(created.deadlines().requestDeadline()),
                    describe(created.deadlines().responseDeadline()));
            return new WebhookServer(server, connections, requests, path, created.deadlines());
        }

        private static <T> T required(@Nullable T value, String name) {
            if (value == null) {
                throw new HookwiseConfigurationException(name + " must not be null");
            }
            return value;
        }

        private static int atLeast(int value, int min, String name) {
            if (value < min) {
                throw new HookwiseConfigurationException(name + " must be >= " + min + ", but was " + value);
            }
            return value;
        }

        private static Duration wholeSeconds(@Nullable Duration value, String name) {
            Duration d = required(value, name);
            if (d.getSeconds() < 1 || d.getNano() != 0) {
                throw new HookwiseConfigurationException(name + " must be a whole number of seconds, at least 1"
                        + " (the JDK server counts in seconds), but was " + d);
            }
            return d;
        }

        private static String describe(Optional<Duration> deadline) {
            return deadline.map(Duration::toString).orElse("none");
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Refuses a connection when every connection thread is reading: the JDK then closes it. Logs a
     * WARN at most once a minute with the number refused, so that a flood does not flood the log.
     */
    private static final class ClosesConnection implements java.util.concurrent.RejectedExecutionHandler {
        private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
        private final int connectionThreads;
        private final AtomicLong refused = new AtomicLong();
        private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

        ClosesConnection(int connectionThreads) {
            this.connectionThreads = connectionThreads;
        }

        @Override
        public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
            long count = refused.incrementAndGet();
            long now = System.nanoTime();
            long next = nextWarning.get();
            if (now - next >= 0 && nextWarning.compareAndSet(next, now + INTERVAL_NANOS)) {
                refused.addAndGet(-count);
                log.warn("Closed {} new connection(s): all {} connection threads are busy and as many requests wait"
                        + " for one (a connection flood). Raise connectionThreads if the clients are legitimate.", count,
                        connectionThreads);
            }
            throw new RejectedExecutionException(executor.isShutdown() ? "server is stopping"
                    : "all " + connectionThreads + " connection threads are busy");
        }
    }
}

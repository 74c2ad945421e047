package dev.hookwise.core.http;

import com.sun.net.httpserver.HttpServer;
import dev.hookwise.core.WebhookProcessor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook endpoint on the JDK's built-in HTTP server, for applications without a web framework.
 *
 * <p>Starting one turns on {@code TCP_NODELAY} for the JDK's HTTP server in this JVM (system
 * property {@value #NODELAY_PROPERTY}, unless the application set it): without it each answer on
 * a keep-alive connection waits for the client's delayed ACK. The JDK reads the property once, so
 * start this server before any other {@code com.sun.net.httpserver} server, or set the property on
 * the command line.
 *
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.start(processor, new InetSocketAddress("0.0.0.0", 8080),
 *         "/stripe/webhook", 16)) {
 *     ...
 * }
 * }</pre>
 */
public final class WebhookServer implements AutoCloseable {
    /** The JDK server's switch for {@code TCP_NODELAY}; {@link #start} sets it to true unless already set. */
    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String path;

    private WebhookServer(HttpServer server, ExecutorService executor, String path) {
        this.server = server;
        this.executor = executor;
        this.path = path;
    }

    /**
     * Starts serving {@code processor} at {@code path}.
     *
     * @param address where to listen; port 0 picks a free port
     * @param threads request threads (bounded, so overload queues rather than spawning)
     */
    public static WebhookServer start(WebhookProcessor processor, InetSocketAddress address, String path, int threads)
            throws IOException {
        Objects.requireNonNull(processor, "processor");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /, but was " + path);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
        }
        // com.sun.net.httpserver leaves TCP_NODELAY off unless this property is set before the JDK's
        // server reads its configuration (once per JVM). It writes headers and body as separate
        // segments, so with Nagle's algorithm every keep-alive answer waits for the client's delayed
        // ACK (up to 40 ms): BENCHMARKS.md measured p99 3.3 s against 13 ms at 2,000 events/s.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hookwise-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(path, new JdkHttpWebhookHandler(processor, processor.maxPayloadBytes()));
        server.start();
        return new WebhookServer(server, executor, path);
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

    /** Stops accepting, lets requests in flight finish for up to a second, then stops. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

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
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.start(processor, new InetSocketAddress("0.0.0.0", 8080),
 *         "/stripe/webhook", 16)) {
 *     ...
 * }
 * }</pre>
 */
public final class WebhookServer implements AutoCloseable {
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

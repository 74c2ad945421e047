package dev.hookwise.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy between the servers under test and the database, with faults switched on and off
 * while traffic flows: added latency on every chunk forwarded, every open connection dropped at
 * once, or a black hole (connections stay open, bytes vanish, new connections are accepted and
 * never answered), as a dead network path looks to a JDBC driver.
 */
final class FaultyProxy implements AutoCloseable {
    enum Mode { NORMAL, BLACK_HOLE }

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(LoadGenerator.daemon("proxy"));
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.NORMAL;
    private volatile long latencyMs;

    FaultyProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 200, java.net.InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    void latency(long millis) {
        this.latencyMs = millis;
    }

    void mode(Mode value) {
        this.mode = value;
    }

    /** Closes every open connection, client and database side, as a dropped network path would. */
    int dropAll() {
        int n = 0;
        for (Socket s : open) {
            try {
                s.close();
                n++;
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        return n / 2;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                threads.execute(() -> connect(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client) {
        try {
            while (mode == Mode.BLACK_HOLE && !client.isClosed()) {
                Thread.sleep(20); // a connection made into the black hole waits, unanswered
            }
            Socket server = new Socket(upstream.getAddress(), upstream.getPort());
            open.add(server);
            threads.execute(() -> pump(client, server));
            pump(server, client);
        } catch (IOException | InterruptedException e) {
            close(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                long delay = latencyMs;
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                if (mode == Mode.BLACK_HOLE) {
                    continue; // the bytes vanish
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropAll();
        threads.shutdownNow();
    }
}

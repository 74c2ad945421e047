package dev.hookwise.core.http;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The executor the JDK server reads requests on, which no slow client can starve.
 *
 * <p>The hazard: the JDK server hands a connection to a thread of its executor as soon as the
 * first byte of a request arrives, and that thread then reads the request line, the headers and
 * (in {@link JdkHttpWebhookHandler}) the body with blocking reads. A client that trickles its
 * request ("slow loris") holds the thread; a few hundred of them hold every thread, and a
 * connection that finds no free thread is closed, the well-behaved ones included. Measured by the
 * reliability suite: 200 slow-loris connections against 128 threads and the server stopped
 * answering deliveries within seconds.
 *
 * <p>Two rules bound it, both per server and independent of the JDK's JVM-wide properties:
 * <ul>
 *   <li><b>Read deadline.</b> A thread may read one request (first byte to end of body) for at most
 *       the read deadline; then its connection is closed. A watchdog checks every
 *       {@link #tickNanos tick}.</li>
 *   <li><b>Longest reader out.</b> When a request arrives and every thread is busy, the request
 *       that has been arriving the longest (on a thread or waiting for one) has its connection
 *       closed, and its thread takes the new request. A normal client sends its request in one go
 *       and is read in microseconds; a slow client has always been at it longer. Requests being
 *       answered are never chosen.</li>
 * </ul>
 *
 * <p>A connection is closed by interrupting its thread while it reads: the JDK server's
 * {@code SocketChannel} is interruptible, so the blocked read ends with
 * {@code ClosedByInterruptException}, the channel is closed, and the JDK server drops the
 * connection. An interrupt is only ever sent while the thread is reading (checked under the
 * slot's lock) and cleared before the thread takes its next request.
 */
final class ConnectionThreads implements Executor {
    private static final ThreadLocal<@Nullable Request> CURRENT = new ThreadLocal<>();

    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor watchdog;
    /** The periodic check; it contains only interrupts and counting, so nothing can end it but shutdown. */
    private final ScheduledFuture<?> deadlineCheck;
    private final long readDeadlineNanos;
    private final int threads;
    /** Requests accepted by {@link #execute} and not yet finished: running or waiting for a thread. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Request> requests = ConcurrentHashMap.newKeySet();
    private final LongAdder pastDeadline = new LongAdder();
    private final LongAdder madeRoom = new LongAdder();

    ConnectionThreads(int threads, java.time.Duration readDeadline, java.util.concurrent.ThreadFactory factory,
            RejectedExecutionHandler whenFull) {
        this.threads = threads;
        this.readDeadlineNanos = readDeadline.toNanos();
        // A request waits here only while a thread drops the connection it was told to drop; the
        // queue is bounded so that a flood is refused rather than queued.
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(threads),
                factory, whenFull);
        this.pool.allowCoreThreadTimeOut(true);
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hookwise-http-read-deadline");
            t.setDaemon(true);
            return t;
        });
        long tick = tickNanos(readDeadlineNanos);
        this.deadlineCheck = watchdog.scheduleWithFixedDelay(this::closePastDeadline, tick, tick,
                TimeUnit.NANOSECONDS);
    }

    /** How often the deadline is checked: a tenth of it, between 50 ms and 1 s. */
    static long tickNanos(long readDeadlineNanos) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(TimeUnit.SECONDS.toNanos(1), readDeadlineNanos / 10));
    }

    /** Called by the JDK's dispatcher thread with a connection whose request started arriving. */
    @Override
    public void execute(Runnable readRequest) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("server is stopping");
        }
        Request request = new Request(readRequest, System.nanoTime());
        if (inFlight.incrementAndGet() > threads) {
            makeRoom();
        }
        requests.add(request);
        try {
            pool.execute(request);
        } catch (RejectedExecutionException e) {
            requests.remove(request);
            inFlight.decrementAndGet();
            throw e;
        }
    }

    /**
     * Closes the connection of the request that has been read the longest, waiting or on a thread.
     * Each request beyond the thread count closes one, so requests still being read never outnumber
     * the threads, and each waits at most for a closed connection's thread to unwind.
     */
    private void makeRoom() {
        Request longest = null;
        for (Request r : requests) {
            if (r.beingRead() && (longest == null || r.arrivedNanos - longest.arrivedNanos < 0)) {
                longest = r;
            }
        }
        if (longest != null && longest.cut()) {
            madeRoom.increment();
        }
    }

    private void closePastDeadline() {
        long now = System.nanoTime();
        for (Request r : requests) {
            if (now - r.arrivedNanos > readDeadlineNanos && r.cut()) {
                pastDeadline.increment();
            }
        }
    }

    /**
     * Called on a connection thread once the request is read, before it is answered: from here on
     * the thread is not interrupted. Returns false if the connection was already closed for being
     * slow (the caller then gives up on it). On a thread of another executor it returns true.
     */
    static boolean finishedReading() {
        Request request = CURRENT.get();
        return request == null || request.finishedReading();
    }

    /** Connections closed because their request took longer than the read deadline. */
    long closedPastDeadline() {
        return pastDeadline.sum();
    }

    /** Connections closed to make room for a new request while every thread was busy. */
    long closedToMakeRoom() {
        return madeRoom.sum();
    }

    /** Threads running a request now (reading or answering). */
    int busy() {
        return pool.getActiveCount();
    }

    /** Requests accepted and waiting for a thread (one whose connection was cut is still unwinding). */
    int waiting() {
        return pool.getQueue().size();
    }

    void shutdown() {
        deadlineCheck.cancel(false);
        watchdog.shutdownNow();
        pool.shutdown();
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }

    /** One request from its first byte to its end; the lock orders interrupts with the end of reading. */
    private final class Request implements Runnable {
        private static final int WAITING = 0;
        private static final int READING = 1;
        private static final int ANSWERING = 2;
        private static final int CUT = 3;
        private static final int DONE = 4;

        private final Runnable readRequest;
        final long arrivedNanos;
        private @Nullable Thread thread;
        private int state = WAITING;

        Request(Runnable readRequest, long arrivedNanos) {
            this.readRequest = readRequest;
            this.arrivedNanos = arrivedNanos;
        }

        @Override
        public void run() {
            CURRENT.set(this);
            try {
                if (!start(Thread.currentThread())) {
                    // Cut while it waited: the JDK's first read now fails and it drops the connection.
                    Thread.currentThread().interrupt();
                }
                readRequest.run();
            } finally {
                done();
                requests.remove(this);
                CURRENT.remove();
                inFlight.decrementAndGet();
                Thread.interrupted(); // an interrupt meant for this request must not reach the next one
            }
        }

        private synchronized boolean start(Thread t) {
            thread = t;
            if (state == CUT) {
                return false;
            }
            state = READING;
            return true;
        }

        synchronized boolean beingRead() {
            return state == WAITING || state == READING;
        }

        /** Closes the connection if its request is still being read; true if it did. */
        synchronized boolean cut() {
            if (state == WAITING) {
                state = CUT;
                return true;
            }
            if (state != READING) {
                return false;
            }
            state = CUT;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
            return true;
        }

        synchronized boolean finishedReading() {
            if (state == CUT) {
                return false;
            }
            state = ANSWERING;
            return true;
        }

        synchronized void done() {
            state = DONE;
        }
    }
}

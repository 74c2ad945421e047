package dev.hookwise.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A filter in front of the servlet that counts the body bytes the servlet reads and records, once
 * the servlet has returned, the status it set and anything it let escape to the container.
 */
final class RequestRecorder implements Filter {

    /** One request as the servlet left it. */
    record Seen(int status, long bytesRead, @Nullable Throwable escaped) {}

    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        CountingRequest counting = new CountingRequest((HttpServletRequest) request);
        Throwable escaped = null;
        try {
            chain.doFilter(counting, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            escaped = e;
            throw e;
        } finally {
            seen.add(new Seen(((HttpServletResponse) response).getStatus(), counting.bytesRead.get(), escaped));
        }
    }

    /** The next request the servlet finished, waiting for it (bounded, so a broken servlet fails the test). */
    Seen next() throws InterruptedException {
        Seen next = seen.poll(30, TimeUnit.SECONDS);
        assertThat(next).as("a request that reached the servlet").isNotNull();
        return next;
    }

    private static final class CountingRequest extends HttpServletRequestWrapper {
        final AtomicLong bytesRead = new AtomicLong();

        CountingRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b != -1) {
                        bytesRead.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        bytesRead.addAndGet(n);
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}

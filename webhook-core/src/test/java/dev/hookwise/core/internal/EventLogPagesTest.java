package dev.hookwise.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLogPagesTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    /** 2,500 events, created four to a second, so pages end inside runs of equal {@code created}. */
    private static final int EVENTS = 2_500;

    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
    private final List<String> inOrder = new ArrayList<>();

    @BeforeEach
    void fill() {
        for (int i = 0; i < EVENTS; i++) {
            // Ids descend while created rises, so an id order alone would come out reversed.
            NewEvent e = new NewEvent(String.format("evt_%05d", EVENTS - i), "invoice.paid", T0.plusSeconds(i / 4), false,
                    null, null, EventSource.WEBHOOK, null);
            store.claim(e, "o", Duration.ofMinutes(1));
            store.complete(new ClaimToken(e.id(), "o", 1), Duration.ofMillis(1));
        }
        store.search(EventQuery.builder().limit(EventQuery.MAX_LIMIT).build()).forEach(r -> inOrder.add(r.id()));
    }

    @Test
    void readsEveryRowOnceInOrderPagingByKeyset() {
        List<EventQuery> asked = new ArrayList<>();
        List<String> read = new ArrayList<>();

        boolean truncated = EventLogPages.forEach(recording(store, asked), EventQuery.builder().build(), 10_000,
                r -> read.add(r.id()));

        assertThat(truncated).isFalse();
        assertThat(read).containsExactlyElementsOf(inOrder);
        assertThat(asked).hasSize(3);
        assertThat(asked.get(0).afterId()).isNull();
        assertThat(asked.subList(1, 3)).allSatisfy(q -> {
            assertThat(q.offset()).isZero();
            assertThat(q.afterId()).isNotNull();
        });
        assertThat(asked.get(1).afterId()).isEqualTo(inOrder.get(EventLogPages.PAGE - 1));
    }

    @Test
    void stopsAtTheMaximumAndSaysMoreRowsRemain() {
        List<String> read = new ArrayList<>();

        boolean truncated = EventLogPages.forEach(store, EventQuery.builder().build(), 2_000, r -> read.add(r.id()));

        assertThat(truncated).isTrue();
        assertThat(read).containsExactlyElementsOf(inOrder.subList(0, 2_000));
    }

    @Test
    void aStoreThatIgnoresTheCursorIsPagedByOffsetInstead() {
        IdempotencyStore oldStore = ignoringCursor(store);
        List<String> read = new ArrayList<>();

        boolean truncated = EventLogPages.forEach(oldStore, EventQuery.builder().build(), 10_000, r -> read.add(r.id()));

        assertThat(truncated).isFalse();
        assertThat(read).containsExactlyElementsOf(inOrder);
    }

    /** The store, recording every query given to {@code search}. */
    private static IdempotencyStore recording(IdempotencyStore delegate, List<EventQuery> asked) {
        return proxy(delegate, (proxy, method, args) -> {
            if (method.getName().equals("search")) {
                asked.add((EventQuery) args[0]);
            }
            return method.invoke(delegate, args);
        });
    }

    /** A store written before keyset paging: it drops the cursor and honours only limit and offset. */
    private static IdempotencyStore ignoringCursor(IdempotencyStore delegate) {
        return proxy(delegate, (proxy, method, args) -> {
            if (method.getName().equals("search")) {
                EventQuery q = (EventQuery) args[0];
                return delegate.search(new EventQuery(q.statuses(), q.type(), q.typePrefix(), q.createdFrom(),
                        q.createdTo(), q.errorContains(), q.limit(), q.offset()));
            }
            return method.invoke(delegate, args);
        });
    }

    private static IdempotencyStore proxy(IdempotencyStore delegate, InvocationHandler handler) {
        return (IdempotencyStore) Proxy.newProxyInstance(IdempotencyStore.class.getClassLoader(),
                new Class<?>[] {IdempotencyStore.class}, handler);
    }
}

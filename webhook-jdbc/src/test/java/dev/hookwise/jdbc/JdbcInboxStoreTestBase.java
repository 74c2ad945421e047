package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.inbox.HeldCommitDataSource;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.contract.InboxStoreContract;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The testkit's inbox contract ({@code enqueue}, {@code claimDue}, {@code release}, {@code purge},
 * {@code backlog}) on one database per subclass, plus what only a database can get wrong: how
 * much a claim locks, and pools with auto-commit off. The contract wants an empty store per
 * test: each test empties the class's own table first.
 */
abstract class JdbcInboxStoreTestBase extends InboxStoreContract {

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Override
    protected InboxStore createStore(MutableClock clock) {
        return db().emptiedEventLog(clock);
    }

    private JdbcIdempotencyStore storeOn(DataSource dataSource) {
        return JdbcIdempotencyStore.builder(dataSource).tablePrefix(db().prefix()).clock(clock).build();
    }

    @Test
    void anOpenClaimHoldsOnlyTheEventsItClaimedSoAnotherWorkerTakesTheNextOnes() throws Exception {
        for (int i = 0; i < 8; i++) {
            store.enqueue(event(id("held-" + i)));
            clock.advance(Duration.ofSeconds(1));
        }
        HeldCommitDataSource held = new HeldCommitDataSource(db().pool(2, false));
        InboxStore slow = storeOn(held.dataSource());
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            held.holdNextCommit();
            Future<List<EventRecord>> slowClaim = first.submit(() -> slow.claimDue("slow-worker", LEASE, 2));
            assertThat(held.awaitHeld()).as("the first claim is done and waits to commit").isTrue();

            // The first claim's transaction still holds its rows: a database that locked every due
            // row (or waited for them) would give the second worker nothing, or block it.
            List<EventRecord> next = store.claimDue("fast-worker", LEASE, 3);

            held.letCommit();
            assertThat(slowClaim.get(5, TimeUnit.MINUTES)).extracting(EventRecord::id)
                    .containsExactly(id("held-0"), id("held-1"));
            assertThat(next).extracting(EventRecord::id).containsExactly(id("held-2"), id("held-3"), id("held-4"));
        } finally {
            held.letCommit();
            first.shutdownNow();
        }
        assertThat(store.find(id("held-0")).orElseThrow().owner()).isEqualTo("slow-worker");
        assertThat(store.find(id("held-2")).orElseThrow().owner()).isEqualTo("fast-worker");
        assertThat(store.backlog().pending()).isEqualTo(3);
    }

    @Test
    void claimDueTakesTheOldestDueFirstAcrossQueuedFailedAndExpiredLeases() {
        store.enqueue(event(id("lease")));
        assertThat(store.claimDue("crashed-worker", Duration.ofSeconds(30), 1)).hasSize(1); // due again at +30 s
        clock.advance(Duration.ofSeconds(10));
        store.enqueue(event(id("queued")));                                                  // due at +10 s
        clock.advance(Duration.ofSeconds(10));
        store.claim(event(id("failed")), "request-1", LEASE);
        store.retryAt(new ClaimToken(id("failed"), "request-1", 1), "timeout", START.plusSeconds(25));      // due at +25 s
        clock.advance(Duration.ofSeconds(15));
        store.enqueue(event(id("latest")));                                                  // due at +35 s
        clock.advance(Duration.ofSeconds(25));

        assertThat(store.claimDue("w", LEASE, 3)).extracting(EventRecord::id)
                .containsExactly(id("queued"), id("failed"), id("lease"));
        assertThat(store.claimDue("w", LEASE, 3)).extracting(EventRecord::id).containsExactly(id("latest"));
        assertThat(store.find(id("failed")).orElseThrow().lastError()).as("kept for the next attempt")
                .isEqualTo("timeout");
    }

    @Test
    void everyInboxStepPersistsThroughAPoolWithAutoCommitOff() {
        InboxStore manual = storeOn(db().pool(2, false));

        assertThat(manual.enqueue(event(id("m1")))).isTrue();
        assertThat(manual.enqueue(event(id("m2")))).isTrue();
        assertThat(manual.claimDue("w", LEASE, 2)).hasSize(2);
        assertThat(manual.release(new ClaimToken(id("m2"), "w", 1))).isEqualTo(UpdateResult.APPLIED);
        assertThat(manual.complete(new ClaimToken(id("m1"), "w", 1), Duration.ofMillis(3))).isEqualTo(UpdateResult.APPLIED);
        clock.advance(Duration.ofDays(2));

        // Read through the ordinary pool: each step was committed.
        assertThat(store.find(id("m1")).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(store.find(id("m2")).orElseThrow().status()).isEqualTo(EventStatus.QUEUED);
        assertThat(manual.purge(clock.instant().minus(Duration.ofDays(1)), 10)).isEqualTo(1);
        assertThat(store.find(id("m1"))).isEmpty();
        assertThat(store.backlog().pending()).isEqualTo(1);
    }
}

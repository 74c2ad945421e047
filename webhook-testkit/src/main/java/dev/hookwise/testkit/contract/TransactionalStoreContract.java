package dev.hookwise.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.TransactionalStore;
import dev.hookwise.core.spi.TransactionalStore.Verdict;
import dev.hookwise.core.spi.UpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The {@link TransactionalStore} contract: handler writes and the event's fenced verdict commit
 * together or not at all, one event or several per transaction, each event undone on its own.
 * Extend it, create a fresh store in {@link #createStore}, and say how a handler writes one effect
 * through the store's transaction and how many committed effects an event has:
 *
 * <pre>{@code
 * class MyTransactionalStoreTest extends TransactionalStoreContract {
 *     protected TransactionalStore createStore(MutableClock clock) { return MyStore.create(clock); }
 *     protected void write(StoreTransaction tx, String eventId) throws Exception {
 *         insertEffect(tx.unwrap(Connection.class), eventId);
 *     }
 *     protected int committedEffects(String eventId) throws Exception { return countEffects(eventId); }
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public abstract class TransactionalStoreContract extends EventStoreContractSupport<TransactionalStore> {

    /** Writes one effect of {@code eventId} through {@code transaction}, as a transactional handler would. */
    protected abstract void write(StoreTransaction transaction, String eventId) throws Exception;

    /** How many effects of {@code eventId} are committed, read outside any transaction of the store. */
    protected abstract int committedEffects(String eventId) throws Exception;

    private NewEvent event(String id) {
        return new NewEvent(id, "invoice.paid", START.minusSeconds(60), false, null, null, EventSource.WEBHOOK,
                ("{\"id\":\"" + id + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private ClaimToken claim(String name, String owner) {
        ClaimResult result = store.claim(event(id(name)), owner, LEASE);
        assertThat(result.isClaimed()).as("claimed %s", name).isTrue();
        return new ClaimToken(id(name), owner, result.attempt());
    }

    private List<UpdateResult> run(List<ClaimToken> claims, Map<ClaimToken, Verdict> verdicts) {
        return store.runInTransaction(claims, new Writing(verdicts, null));
    }

    @Test
    void aCompletedEventKeepsItsWrites() throws Exception {
        ClaimToken claim = claim("complete", "owner-a");

        List<UpdateResult> results = run(List.of(claim), Map.of(claim, Verdict.complete(Duration.ofMillis(7))));

        assertThat(results).containsExactly(UpdateResult.APPLIED);
        assertThat(committedEffects(claim.eventId())).isEqualTo(1);
        EventRecord row = store.find(claim.eventId()).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(row.processingTime()).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void aFailedAttemptUndoesItsWritesAndIsRecorded() throws Exception {
        ClaimToken claim = claim("retry", "owner-a");
        Instant next = START.plusSeconds(30);

        List<UpdateResult> results = run(List.of(claim), Map.of(claim, Verdict.retryAt("ledger down", next)));

        assertThat(results).containsExactly(UpdateResult.APPLIED);
        assertThat(committedEffects(claim.eventId())).isZero();
        EventRecord row = store.find(claim.eventId()).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.FAILED);
        assertThat(row.lastError()).isEqualTo("ledger down");
        assertThat(row.nextAttemptAt()).isEqualTo(next);
        assertThat(row.attempts()).isEqualTo(1);
    }

    @Test
    void aDeadEventUndoesItsWrites() throws Exception {
        ClaimToken claim = claim("dead", "owner-a");

        assertThat(run(List.of(claim), Map.of(claim, Verdict.dead("order unknown")))).containsExactly(UpdateResult.APPLIED);

        assertThat(committedEffects(claim.eventId())).isZero();
        assertThat(store.find(claim.eventId()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
    }

    @Test
    void aRunWhoseClaimWasTakenOverRollsBackAndChangesNothing() throws Exception {
        ClaimToken stale = claim("taken", "owner-a");
        clock.advance(LEASE.plusSeconds(1));
        ClaimToken current = claim("taken", "owner-b");

        assertThat(run(List.of(stale), Map.of(stale, Verdict.complete(Duration.ZERO)))).containsExactly(UpdateResult.LEASE_LOST);
        assertThat(run(List.of(stale), Map.of(stale, Verdict.retryAt("late", START)))).containsExactly(UpdateResult.LEASE_LOST);

        assertThat(committedEffects(stale.eventId())).isZero();
        EventRecord row = store.find(current.eventId()).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.PROCESSING);
        assertThat(row.owner()).isEqualTo("owner-b");
        assertThat(row.attempts()).isEqualTo(2);
    }

    @Test
    void severalEventsInOneTransactionAreEachUndoneOnTheirOwn() throws Exception {
        ClaimToken ok = claim("batch-ok", "owner-a");
        ClaimToken failing = claim("batch-failing", "owner-a");
        ClaimToken taken = claim("batch-taken", "owner-a");
        ClaimToken dead = claim("batch-dead", "owner-a");
        ClaimToken alsoOk = claim("batch-also-ok", "owner-a");
        ClaimToken stale = new ClaimToken(taken.eventId(), "someone-else", taken.attempt());
        Map<ClaimToken, Verdict> verdicts = new HashMap<>();
        verdicts.put(ok, Verdict.complete(Duration.ofMillis(1)));
        verdicts.put(failing, Verdict.retryAt("failed", START.plusSeconds(10)));
        verdicts.put(stale, Verdict.complete(Duration.ofMillis(1)));
        verdicts.put(dead, Verdict.dead("permanent"));
        verdicts.put(alsoOk, Verdict.complete(Duration.ofMillis(1)));

        List<UpdateResult> results = run(List.of(ok, failing, stale, dead, alsoOk), verdicts);

        assertThat(results).containsExactly(UpdateResult.APPLIED, UpdateResult.APPLIED, UpdateResult.LEASE_LOST,
                UpdateResult.APPLIED, UpdateResult.APPLIED);
        assertThat(committedEffects(ok.eventId())).isEqualTo(1);
        assertThat(committedEffects(alsoOk.eventId())).isEqualTo(1);
        assertThat(committedEffects(failing.eventId())).isZero();
        assertThat(committedEffects(taken.eventId())).isZero();
        assertThat(committedEffects(dead.eventId())).isZero();
        assertThat(store.find(ok.eventId()).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(store.find(failing.eventId()).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
        assertThat(store.find(taken.eventId()).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
        assertThat(store.find(dead.eventId()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
        assertThat(store.find(alsoOk.eventId()).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void workThatThrowsRollsBackTheWholeTransactionAndTheExceptionPropagates() throws Exception {
        ClaimToken first = claim("throw-1", "owner-a");
        ClaimToken second = claim("throw-2", "owner-a");
        Map<ClaimToken, Verdict> verdicts = Map.of(first, Verdict.complete(Duration.ZERO), second,
                Verdict.complete(Duration.ZERO));

        assertThatThrownBy(() -> store.runInTransaction(List.of(first, second), new Writing(verdicts, second)))
                .isInstanceOf(IllegalStateException.class).hasMessage("work gave up on " + second.eventId());

        assertThat(committedEffects(first.eventId())).isZero();
        assertThat(committedEffects(second.eventId())).isZero();
        assertThat(store.find(first.eventId()).orElseThrow().status()).as("not completed").isEqualTo(EventStatus.PROCESSING);
        assertThat(store.find(second.eventId()).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
    }

    @Test
    void eventsAreRunInTheOrderGiven() throws Exception {
        List<ClaimToken> claims = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            claims.add(claim("order-" + i, "owner-a"));
        }
        Map<ClaimToken, Verdict> verdicts = new HashMap<>();
        claims.forEach(c -> verdicts.put(c, Verdict.complete(Duration.ZERO)));
        Writing work = new Writing(verdicts, null);

        store.runInTransaction(claims, work);

        assertThat(work.ran).containsExactlyElementsOf(claims);
    }

    @Test
    void anEmptyListOrAnEventTwiceIsRefused() {
        ClaimToken claim = claim("twice", "owner-a");
        Writing work = new Writing(Map.of(claim, Verdict.complete(Duration.ZERO)), null);

        assertThatThrownBy(() -> store.runInTransaction(List.of(), work)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.runInTransaction(List.of(claim, claim), work))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(work.ran).isEmpty();
    }

    /** Work that writes one effect per event, then returns the verdict it was given (or throws at {@code throwAt}). */
    private final class Writing implements TransactionalStore.Work {
        private final Map<ClaimToken, Verdict> verdicts;
        private final @Nullable ClaimToken throwAt;
        final List<ClaimToken> ran = new ArrayList<>();

        Writing(Map<ClaimToken, Verdict> verdicts, @Nullable ClaimToken throwAt) {
            this.verdicts = verdicts;
            this.throwAt = throwAt;
        }

        @Override
        public Verdict run(ClaimToken claim, StoreTransaction transaction) {
            ran.add(claim);
            try {
                write(transaction, claim.eventId());
            } catch (Exception e) {
                throw new IllegalStateException("the contract's write failed for " + claim.eventId(), e);
            }
            if (claim.equals(throwAt)) {
                throw new IllegalStateException("work gave up on " + claim.eventId());
            }
            Verdict verdict = verdicts.get(claim);
            if (verdict == null) {
                throw new IllegalStateException("no verdict for " + claim);
            }
            return verdict;
        }

        @Override
        public Verdict completionFailed(ClaimToken claim, Exception failure) {
            throw new AssertionError("the store refused the completion of " + claim.eventId(), failure);
        }
    }
}

package dev.hookwise.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.IdempotencyStore.Completion;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The completion part of the {@link IdempotencyStore} contract: {@code complete} and
 * {@code completeAll}, each fenced on its claim's token. {@link IdempotencyStoreContract} extends it,
 * so extend that one to check a store; this class only keeps the completion tests together.
 *
 * @since 0.2.0
 */
public abstract class CompletionContract extends EventStoreContractSupport<IdempotencyStore> {

    /** A new event with id {@code id}, created before the test's start. */
    protected NewEvent event(String id) {
        return new NewEvent(id, "payment_intent.succeeded", START.minusSeconds(30), false, "2026-07-29.dahlia",
                null, EventSource.WEBHOOK, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lateCompleteFromFormerOwnerDoesNotOverwriteTakeover() {
        store.claim(event(id("late")), "owner-a", LEASE);
        clock.advance(LEASE.plusSeconds(1));
        store.claim(event(id("late")), "owner-b", LEASE);

        assertThat(store.complete(new ClaimToken(id("late"), "owner-a", 1), Duration.ofSeconds(400))).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.markDead(new ClaimToken(id("late"), "owner-a", 1), "boom")).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.find(id("late")).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);

        assertThat(store.complete(new ClaimToken(id("late"), "owner-b", 2), Duration.ofMillis(3))).isEqualTo(UpdateResult.APPLIED);
        assertThat(store.complete(new ClaimToken(id("late"), "owner-a", 1), Duration.ofSeconds(400))).isEqualTo(UpdateResult.LEASE_LOST);
        EventRecord row = store.find(id("late")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(row.owner()).isEqualTo("owner-b");
        assertThat(row.processingTime()).isEqualTo(Duration.ofMillis(3));
    }

    @Test
    void sameOwnerNameIsFencedByTheAttempt() {
        // Two processes configured with one instance id may give their claims the same owner name.
        store.claim(event(id("twin")), "instance-1", LEASE);
        clock.advance(LEASE.plusSeconds(1));
        ClaimResult takeover = store.claim(event(id("twin")), "instance-1", LEASE);
        assertThat(takeover.attempt()).isEqualTo(2);

        ClaimToken former = new ClaimToken(id("twin"), "instance-1", 1);
        assertThat(store.complete(former, Duration.ofMillis(1))).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.retryAt(former, "late", START)).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.markDead(former, "late")).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.markIgnored(former, "late")).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.heartbeat(List.of(former), LEASE)).isZero();
        EventRecord row = store.find(id("twin")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.PROCESSING);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.leaseUntil()).isEqualTo(clock.instant().plus(LEASE));

        assertThat(store.complete(new ClaimToken(id("twin"), "instance-1", 2), Duration.ofMillis(1)))
                .isEqualTo(UpdateResult.APPLIED);
    }

    @Test
    void completeByStrangerOrOfUnknownEventChangesNothing() {
        store.claim(event(id("stranger")), "owner-a", LEASE);

        assertThat(store.complete(new ClaimToken(id("stranger"), "owner-x", 1), Duration.ZERO)).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.complete(new ClaimToken(id("unknown"), "owner-a", 1), Duration.ZERO)).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.find(id("stranger")).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
        assertThat(store.find(id("unknown"))).isEmpty();
    }

    @Test
    void completeAllCompletesOwnedClaimsAndRefusesLostOnesOneByOne() {
        store.claim(event(id("all-1")), "owner-a", LEASE);
        store.claim(event(id("all-2")), "owner-a", LEASE);
        store.claim(event(id("all-lost")), "owner-a", LEASE);
        clock.advance(LEASE.plusSeconds(1));
        assertThat(store.claim(event(id("all-lost")), "owner-b", LEASE).status()).isEqualTo(ClaimResult.Status.CLAIMED);
        ClaimToken first = new ClaimToken(id("all-1"), "owner-a", 1);
        ClaimToken second = new ClaimToken(id("all-2"), "owner-a", 1);
        ClaimToken lost = new ClaimToken(id("all-lost"), "owner-a", 1);
        ClaimToken stranger = new ClaimToken(id("all-unknown"), "owner-a", 1);

        assertThat(store.completeAll(List.of(new Completion(first, Duration.ofMillis(7)),
                new Completion(lost, Duration.ofMillis(8)), new Completion(stranger, Duration.ofMillis(9)),
                new Completion(second, Duration.ofMillis(10))))).containsExactlyInAnyOrder(first, second);

        EventRecord one = store.find(id("all-1")).orElseThrow();
        assertThat(one.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(one.processingTime()).isEqualTo(Duration.ofMillis(7));
        assertThat(one.leaseUntil()).isNull();
        assertThat(store.find(id("all-2")).orElseThrow().processingTime()).isEqualTo(Duration.ofMillis(10));
        EventRecord taken = store.find(id("all-lost")).orElseThrow();
        assertThat(taken.status()).as("the lost claim changed nothing").isEqualTo(EventStatus.PROCESSING);
        assertThat(taken.owner()).isEqualTo("owner-b");
        assertThat(taken.attempts()).isEqualTo(2);
        assertThat(store.find(id("all-unknown"))).isEmpty();
        assertThat(store.claim(event(id("all-1")), "owner-c", LEASE).status()).isEqualTo(ClaimResult.Status.ALREADY_COMPLETED);
        assertThat(store.complete(new ClaimToken(id("all-lost"), "owner-b", 2), Duration.ZERO))
                .as("the newer claim still completes").isEqualTo(UpdateResult.APPLIED);
    }

    @Test
    void completeAllOfNothingCompletesNothing() {
        assertThat(store.completeAll(List.of())).isEmpty();
    }

    @Test
    void completeAllCompletesAClaimListedTwiceOnceAndNamesIt() {
        store.claim(event(id("twice")), "owner-a", LEASE);
        ClaimToken claim = new ClaimToken(id("twice"), "owner-a", 1);

        assertThat(store.completeAll(List.of(new Completion(claim, Duration.ofMillis(4)),
                new Completion(claim, Duration.ofMillis(5))))).containsExactly(claim);

        EventRecord row = store.find(id("twice")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(row.processingTime()).as("the first entry's time").isEqualTo(Duration.ofMillis(4));
        assertThat(store.completeAll(List.of(new Completion(claim, Duration.ofMillis(6)))))
                .as("an already completed claim is not completed again").isEmpty();
        assertThat(store.find(id("twice")).orElseThrow().processingTime()).isEqualTo(Duration.ofMillis(4));
    }

    @Test
    void completeAllRefusesAClaimWhoseEventWasGivenAVerdictAlready() {
        store.claim(event(id("dead")), "owner-a", LEASE);
        ClaimToken claim = new ClaimToken(id("dead"), "owner-a", 1);
        assertThat(store.markDead(claim, "boom")).isEqualTo(UpdateResult.APPLIED);

        assertThat(store.completeAll(List.of(new Completion(claim, Duration.ZERO)))).isEmpty();
        assertThat(store.find(id("dead")).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
    }
}

package dev.hookwise.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.IdempotencyStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lease keeper's side of transaction batches: claims held for a batch are renewed until their
 * turn, but not once the batch's thread is stuck past the handler timeout; a run that becomes a held
 * claim's run takes its place; {@code awaitHeartbeat} waits out a heartbeat in flight.
 */
class LeaseKeeperBatchTest {

    private final BlockingQueue<Set<ClaimToken>> heartbeats = new LinkedBlockingQueue<>();
    private final CountDownLatch heartbeatMayReturn = new CountDownLatch(1);
    private volatile boolean holdHeartbeats;

    private final IdempotencyStore store = (IdempotencyStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {IdempotencyStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("heartbeat")) {
                    @SuppressWarnings("unchecked")
                    Collection<ClaimToken> claims = (Collection<ClaimToken>) args[0];
                    heartbeats.add(Set.copyOf(claims));
                    if (holdHeartbeats) {
                        heartbeatMayReturn.await(1, TimeUnit.MINUTES);
                    }
                    return claims.size();
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void heldClaimsAreRenewedUntilTheBatchThreadIsStuckPastItsTimeout() throws Exception {
        CountDownLatch timedOut = new CountDownLatch(1);
        LeaseKeeper keeper = new LeaseKeeper(store, Duration.ofMillis(30), Duration.ofMillis(200), run -> timedOut.countDown());
        ClaimToken waiting = new ClaimToken("evt_waiting", "o", 1);
        ClaimToken hanging = new ClaimToken("evt_hanging", "o", 1);
        ClaimToken elsewhere = new ClaimToken("evt_elsewhere", "o", 1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // The batch's thread: one event held for later, one running whose handler hangs.
            threads.execute(() -> {
                LeaseKeeper.Pending held = keeper.pending(List.of(waiting, hanging));
                LeaseKeeper.Run run = keeper.start(hanging, "invoice.paid");
                awaitIgnoringInterrupts(release);
                run.close();
                held.close();
            });
            // Another batch's thread, not stuck: its held claim is renewed all along.
            threads.execute(() -> {
                LeaseKeeper.Pending held = keeper.pending(List.of(elsewhere));
                awaitIgnoringInterrupts(release);
                held.close();
            });

            Set<ClaimToken> beat = nextHeartbeatWith(Set.of(waiting, hanging, elsewhere));
            assertThat(beat).containsExactlyInAnyOrder(waiting, hanging, elsewhere);
            assertThat(keeper.running()).as("held claims are not running handlers").isEqualTo(1);

            assertThat(timedOut.await(1, TimeUnit.MINUTES)).isTrue();
            heartbeats.clear();
            Set<ClaimToken> afterTimeout = heartbeats.poll(1, TimeUnit.MINUTES);
            assertThat(afterTimeout).as("neither the stuck run nor the claim its thread holds is renewed")
                    .containsExactly(elsewhere);
            assertThat(keeper.stuck()).isEqualTo(1);
        } finally {
            release.countDown();
            threads.shutdown();
            assertThat(threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(keeper.running()).isZero();
    }

    @Test
    void awaitHeartbeatReturnsOnlyOnceTheHeartbeatInFlightHasReturned() throws Exception {
        LeaseKeeper keeper = new LeaseKeeper(store, Duration.ofMillis(30), null, run -> { });
        ClaimToken claim = new ClaimToken("evt_1", "o", 1);
        holdHeartbeats = true;
        LeaseKeeper.Run run = keeper.start(claim, "invoice.paid");
        assertThat(heartbeats.poll(1, TimeUnit.MINUTES)).containsExactly(claim); // in flight, held
        run.close();
        CountDownLatch returned = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            keeper.awaitHeartbeat();
            returned.countDown();
        }, "await-heartbeat");
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertThat(waiter.getState()).as("parked behind the heartbeat in flight").isEqualTo(Thread.State.WAITING);
        assertThat(returned.getCount()).isEqualTo(1);
        heartbeatMayReturn.countDown();
        assertThat(returned.await(1, TimeUnit.MINUTES)).isTrue();
        waiter.join(TimeUnit.MINUTES.toMillis(1));
    }

    private Set<ClaimToken> nextHeartbeatWith(Set<ClaimToken> expected) throws InterruptedException {
        while (true) {
            Set<ClaimToken> beat = heartbeats.poll(1, TimeUnit.MINUTES);
            assertThat(beat).as("a heartbeat").isNotNull();
            if (beat.containsAll(expected)) {
                return beat;
            }
        }
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // a handler that ignores the timeout's interrupt
            }
        }
    }
}

package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Instances whose clocks disagree share one event log: leases follow the database's time, so an
 * instance running two minutes ahead does not take over an event another instance is still running
 * (which would run it twice at once). The control case shows the hazard with the instance's own clock.
 */
abstract class ClockSkewTestBase {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration SKEW = Duration.ofMinutes(2);

    protected abstract DatabaseFixture db();

    private static NewEvent event(String id) {
        return new NewEvent(id, "payment_intent.succeeded", Instant.now(), false, null, null, EventSource.WEBHOOK,
                ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anInstanceTwoMinutesAheadDoesNotTakeOverALeaseThatStillRuns() {
        String prefix = db().newPrefix("skew");
        JdbcIdempotencyStore onTime = JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix)
                .createSchema(true).build();
        Clock ahead = Clock.offset(Clock.systemUTC(), SKEW);
        JdbcIdempotencyStore skewed = JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix)
                .clock(ahead).databaseTime(true).build();

        onTime.enqueue(event("evt_skew_queued"));
        List<EventRecord> running = onTime.claimDue("on-time", LEASE, 10);
        assertThat(running).extracting(EventRecord::id).containsExactly("evt_skew_queued");
        assertThat(onTime.claim(event("evt_skew_sync"), "on-time", LEASE).status()).isEqualTo(ClaimResult.Status.CLAIMED);

        // Both claims hold 30 s leases; on the database's time neither has expired for the skewed instance.
        assertThat(skewed.claimDue("ahead", LEASE, 10)).isEmpty();
        assertThat(skewed.claim(event("evt_skew_sync"), "ahead", LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);

        // Control: on its own clock the same instance sees both leases expired and runs the events again.
        JdbcIdempotencyStore ownClock = JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix)
                .clock(ahead).build();
        assertThat(ownClock.claimDue("ahead-own-clock", LEASE, 10)).extracting(EventRecord::id)
                .contains("evt_skew_queued");
    }

    @Test
    void timestampsOfASkewedInstanceAreCorrectedToTheDatabaseTime() {
        String prefix = db().newPrefix("dbtime");
        JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix).createSchema(true).build();
        JdbcIdempotencyStore skewed = JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix)
                .clock(Clock.offset(Clock.systemUTC(), SKEW)).databaseTime(true).build();
        Instant before = Instant.now();
        skewed.enqueue(event("evt_dbtime"));
        EventRecord record = skewed.find("evt_dbtime").orElseThrow();
        // The servers run on this machine, so the database's time is this JVM's, not two minutes ahead.
        assertThat(Duration.between(before, record.receivedAt()).abs()).isLessThan(Duration.ofSeconds(5));
    }
}

package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.jdbc.internal.Jdbc;
import dev.hookwise.jdbc.state.JdbcStateStore;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * How {@link Jdbc} bounds one store call by its statement timeout, with an injected nanosecond
 * clock on an in-memory H2 database; the lock waits themselves are tested per database by
 * {@code StatementTimeoutTestBase}'s subclasses.
 */
class JdbcStatementTimeoutTest {

    private static final long SECOND = 1_000_000_000L;

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final AtomicLong now = new AtomicLong();

    JdbcStatementTimeoutTest() {
        h2.setURL("jdbc:h2:mem:deadline_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
    }

    private Jdbc jdbc(int seconds) {
        return new Jdbc(h2, "event store", Duration.ofSeconds(seconds), now::get);
    }

    @Test
    void everyStatementMayWaitOnlyForTheTimeTheCallHasLeftRoundedUpToSeconds() {
        int[] timeouts = jdbc(10).run("reading", c -> {
            int first;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                first = ps.getQueryTimeout();
            }
            now.addAndGet(SECOND * 3 / 2);
            try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                return new int[] {first, ps.getQueryTimeout()};
            }
        });

        assertThat(timeouts).containsExactly(10, 9);
    }

    @Test
    void aStatementStartedAfterTheTimeoutPassedFailsAsTimedOut() {
        assertThatThrownBy(() -> jdbc(2).run("claiming evt_1", c -> {
            now.addAndGet(2 * SECOND);
            return c.prepareStatement("SELECT 1");
        })).isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("event store timed out while claiming evt_1: a lock or statement timeout passed")
                .hasMessageContaining("statement timeout of 2 s was used up");
    }

    @Test
    void deadlocksAreRetriedWhileTimeIsLeft() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> jdbc(10).run("claiming evt_1", c -> {
            attempts.incrementAndGet();
            throw new SQLException("deadlock detected", "40P01");
        })).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("claiming evt_1 (gave up after 3 deadlocks or serialization failures)");
        assertThat(attempts).hasValue(Jdbc.DEADLOCK_ATTEMPTS);
    }

    @Test
    void aDeadlockIsNotRetriedOnceTheTimeoutHasPassed() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> jdbc(1).run("claiming evt_1", c -> {
            attempts.incrementAndGet();
            now.addAndGet(SECOND);
            throw new SQLException("deadlock detected", "40P01");
        })).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("(gave up after 1 deadlock or");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aLockTimeoutIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> jdbc(10).run("completing evt_1", c -> {
            attempts.incrementAndGet();
            throw new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205);
        })).isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("event store timed out while completing evt_1: a lock or statement timeout passed");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void statementTimeoutMustBeWholeSecondsOfAtLeastOne() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMillis(500),
                Duration.ofMillis(1500)}) {
            assertThatThrownBy(() -> JdbcIdempotencyStore.builder(h2).statementTimeout(bad))
                    .isInstanceOf(HookwiseConfigurationException.class)
                    .hasMessageStartingWith("statementTimeout must be a whole number of seconds, at least 1 s")
                    .hasMessageEndingWith("but was " + bad);
            assertThatThrownBy(() -> JdbcStateStore.builder(h2).statementTimeout(bad))
                    .isInstanceOf(HookwiseConfigurationException.class)
                    .hasMessageEndingWith("but was " + bad);
        }
        assertThat(JdbcIdempotencyStore.Builder.DEFAULT_STATEMENT_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
        assertThat(JdbcStateStore.Builder.DEFAULT_STATEMENT_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
        assertThat(jdbc(1).statementTimeout()).isEqualTo(Duration.ofSeconds(1));
    }
}

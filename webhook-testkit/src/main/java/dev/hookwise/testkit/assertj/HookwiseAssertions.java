package dev.hookwise.testkit.assertj;

import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.DeliveryLog;

/**
 * Entry point for Hookwise's AssertJ assertions. Import statically next to AssertJ's own
 * {@code Assertions.assertThat}; the overloads do not clash.
 *
 * <pre>{@code
 * assertThat(log).hasSentDeliveries(6).eachEventProcessedOnce();
 * assertThat(store).hasEventsInStatus(EventStatus.COMPLETED, 3).hasNoEventsInStatus(EventStatus.DEAD);
 * }</pre>
 */
public final class HookwiseAssertions {
    private HookwiseAssertions() {}

    /** Assertions over a {@link DeliveryLog}. */
    public static DeliveryLogAssert assertThat(DeliveryLog actual) {
        return new DeliveryLogAssert(actual);
    }

    /** Assertions over the contents of an {@link IdempotencyStore}. */
    public static IdempotencyStoreAssert assertThat(IdempotencyStore actual) {
        return new IdempotencyStoreAssert(actual);
    }

    /** Assertions over one {@link EventRecord}. */
    public static EventRecordAssert assertThat(EventRecord actual) {
        return new EventRecordAssert(actual);
    }
}

package dev.hookwise.testkit.contract;

import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.testkit.MutableClock;

class InMemoryInboxStoreContractTest extends InboxStoreContract {
    @Override
    protected InboxStore createStore(MutableClock clock) {
        return InMemoryIdempotencyStore.create(clock);
    }

    /** Enough history that walking it on every poll would show; claimDue must not. */
    @Override
    protected int finishedEventsInALongLog() {
        return 20_000;
    }
}

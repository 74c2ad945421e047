package dev.hookwise.testkit.contract;

import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.testkit.MutableClock;

class InMemoryInboxStoreContractTest extends InboxStoreContract {
    @Override
    protected InboxStore createStore(MutableClock clock) {
        return InMemoryIdempotencyStore.create(clock);
    }
}

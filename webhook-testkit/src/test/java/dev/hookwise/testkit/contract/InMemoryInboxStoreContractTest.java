package dev.hookwise.testkit.contract;

import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.MutableClock;

class InMemoryInboxStoreContractTest extends InboxStoreContract {
    @Override
    protected IdempotencyStore createStore(MutableClock clock) {
        return InMemoryIdempotencyStore.create(clock);
    }
}

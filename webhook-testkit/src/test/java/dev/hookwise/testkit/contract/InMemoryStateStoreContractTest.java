package dev.hookwise.testkit.contract;

import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.state.InMemoryStateStore;
import dev.hookwise.testkit.MutableClock;

class InMemoryStateStoreContractTest extends StateStoreContract {
    @Override
    protected StateStore createStore(MutableClock clock) {
        return InMemoryStateStore.create(clock);
    }
}

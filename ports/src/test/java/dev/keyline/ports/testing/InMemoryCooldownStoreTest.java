package dev.keyline.ports.testing;

import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.CooldownStoreContract;

class InMemoryCooldownStoreTest extends CooldownStoreContract {

    @Override
    protected CooldownStore createStore() {
        return new InMemoryCooldownStore(clock);
    }
}

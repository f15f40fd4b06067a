package archfixture.keyline.adapters.frontdoors;

import archfixture.keyline.adapters.providers.ProviderThing;

/** Violation: a front door that calls a provider adapter instead of a use case. */
public class DoorUsingProvider {
    public ProviderThing borrow() {
        return new ProviderThing();
    }
}

package archfixture.keyline.adapters.search;

import archfixture.keyline.adapters.providers.ProviderThing;

/** Violation: a search adapter that depends on the provider adapters. */
public class SearchUsingProviders {
    public ProviderThing borrow() {
        return new ProviderThing();
    }
}

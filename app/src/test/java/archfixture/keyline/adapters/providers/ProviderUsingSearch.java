package archfixture.keyline.adapters.providers;

import archfixture.keyline.adapters.search.SearchUsingProviders;

/** Violation: a provider adapter that depends on the search adapters. */
public class ProviderUsingSearch {
    public SearchUsingProviders borrow() {
        return new SearchUsingProviders();
    }
}

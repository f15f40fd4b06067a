package archfixture.keyline.adapters.http;

import archfixture.keyline.adapters.search.SearchUsingHttp;

/** Violation: an HTTP adapter that depends on the search adapters. */
public class HttpUsingSearch {
    public SearchUsingHttp borrow() {
        return new SearchUsingHttp();
    }
}

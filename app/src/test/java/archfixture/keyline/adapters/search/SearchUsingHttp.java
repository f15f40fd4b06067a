package archfixture.keyline.adapters.search;

import archfixture.keyline.adapters.http.HttpThing;

/** Violation: a search adapter that depends on the HTTP adapters. */
public class SearchUsingHttp {
    public HttpThing borrow() {
        return new HttpThing();
    }
}

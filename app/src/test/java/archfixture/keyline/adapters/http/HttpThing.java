package archfixture.keyline.adapters.http;

/** An HTTP adapter type that others must not use. */
public class HttpThing {}

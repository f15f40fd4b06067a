package archfixture.keyline.adapters.providers;

/** A provider adapter type that search adapters and front doors must not use. */
public class ProviderThing {}

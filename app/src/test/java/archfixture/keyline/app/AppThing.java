package archfixture.keyline.app;

/** A composition-root type that nothing may depend on. */
public class AppThing {}

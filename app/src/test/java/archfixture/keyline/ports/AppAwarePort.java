package archfixture.keyline.ports;

import archfixture.keyline.adapters.providers.ProviderThing;
import archfixture.keyline.app.AppThing;

/** Violations: a port that knows the composition root, an adapter and the process environment. */
public class AppAwarePort {
    public AppThing app() {
        return new AppThing();
    }

    public ProviderThing adapter() {
        return new ProviderThing();
    }

    public String sneakyKey() {
        return System.getenv("ANTHROPIC_API_KEY");
    }

    public void shout() {
        System.out.println("library code printing");
    }
}

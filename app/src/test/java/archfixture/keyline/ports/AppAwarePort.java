package archfixture.keyline.ports;

import archfixture.keyline.adapters.http.HttpThing;
import archfixture.keyline.app.AppThing;

/** Violations: a port that knows the composition root, an adapter and the process environment. */
public class AppAwarePort {
    public AppThing app() {
        return new AppThing();
    }

    public HttpThing adapter() {
        return new HttpThing();
    }

    public String sneakyKey() {
        return System.getenv("ANTHROPIC_API_KEY");
    }

    public void shout() {
        System.out.println("library code printing");
    }
}

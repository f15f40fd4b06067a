package archfixture.keyline.cycle.right;

import archfixture.keyline.cycle.left.Left;

/** Violation, with {@link Left}: two packages that use each other. */
public class Right {
    public Left partner() {
        return new Left();
    }
}

package archfixture.keyline.cycle.left;

import archfixture.keyline.cycle.right.Right;

/** Violation, with {@link Right}: two packages that use each other. */
public class Left {
    public Right partner() {
        return new Right();
    }
}

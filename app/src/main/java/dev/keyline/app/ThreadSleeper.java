package dev.keyline.app;

import dev.keyline.ports.out.Sleeper;
import java.time.Duration;

/** Waits on the calling (virtual) thread. */
final class ThreadSleeper implements Sleeper {

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
    }
}

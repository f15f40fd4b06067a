package dev.keyline.ports.out;

import java.time.Duration;

/** Outgoing port for waiting before a retry; tests replace it so no test waits for real. */
public interface Sleeper {

    /**
     * @param duration how long to wait; zero or more
     * @throws InterruptedException when the waiting thread is interrupted (the request is then abandoned)
     */
    void sleep(Duration duration) throws InterruptedException;
}

package dev.keyline.ports.testing;

import dev.keyline.ports.out.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A sleeper that does not sleep: it advances the test clock and remembers each wait. */
public final class RecordingSleeper implements Sleeper {

    private final MutableClock clock;
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    public RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        clock.advance(duration);
    }

    public List<Duration> waits() {
        synchronized (waits) {
            return List.copyOf(waits);
        }
    }
}

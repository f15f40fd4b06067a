package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A case never starts inside a rest an earlier case may have caused: it waits out what is left of it, no more. */
class GroupRestsTest {

    private static FakeUpstreams fakes;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T10:00:00Z"));
    private final List<Duration> waited = new ArrayList<>();

    @BeforeAll
    static void pool() {
        fakes = new FakeUpstreams(7L, GatewayProfile.named("litellm"));
    }

    @AfterAll
    static void stop() {
        fakes.close();
    }

    @Test
    void aCaseAfterAFailedHopOnAGroupOfSeveral_waitsOutWhatIsLeftOfTheCooldown() {
        GroupRests clocked = new GroupRests(fakes, Duration.ofSeconds(1), now::get, waited::add);
        clocked.note(FakeUpstreams.SHARED, true);
        now.set(now.get().plusMillis(300));

        clocked.settle(FakeUpstreams.SHARED);
        clocked.settle(FakeUpstreams.SHARED);

        assertEquals(List.of(Duration.ofMillis(700)), waited, "once, and only the 700 ms left");
    }

    @Test
    void aLoneDeploymentsGroup_andACaseWithoutFailure_neverWait() {
        GroupRests clocked = new GroupRests(fakes, Duration.ofSeconds(1), now::get, waited::add);
        clocked.note(FakeUpstreams.SOLO, true);
        clocked.note(FakeUpstreams.SHARED, false);

        clocked.settle(FakeUpstreams.SOLO);
        clocked.settle(FakeUpstreams.SHARED);

        assertEquals(List.of(), waited);
    }

    @Test
    void aGatewayThatDeclaresNoCooldown_neverWaits() {
        GroupRests none = new GroupRests(fakes, Duration.ZERO, now::get, waited::add);
        none.note(FakeUpstreams.SHARED, true);

        none.settle(FakeUpstreams.SHARED);

        assertEquals(List.of(), waited);
    }
}

package dev.align.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StopRequestTest {

    @Test
    void keepsTheFirstReason() {
        StopRequest stop = new StopRequest();
        assertFalse(stop.isRequested());
        assertNull(stop.reason());
        stop.request("SIGTERM");
        stop.request("later");
        assertTrue(stop.isRequested());
        assertEquals("SIGTERM", stop.reason());
        StopRequest blank = new StopRequest();
        blank.request(" ");
        assertEquals("a stop request", blank.reason());
    }

    @Test
    void aLinkedRequestIsMadeByItsParentButDoesNotMakeIt() {
        StopRequest signal = new StopRequest();
        StopRequest runs = signal.linked();
        runs.request("run raw seed 0 failed");
        assertTrue(runs.isRequested());
        assertFalse(signal.isRequested(), "a program's own stop is not the signal's");
        assertEquals("run raw seed 0 failed", runs.reason());

        StopRequest other = signal.linked();
        assertFalse(other.isRequested());
        signal.request("SIGTERM");
        assertTrue(other.isRequested());
        assertEquals("SIGTERM", other.reason());
        assertEquals("run raw seed 0 failed", runs.reason(), "its own reason first");
    }

    @Test
    void runsWatchingLinkedRequestsCountAsWatchingTheParent() {
        StopRequest signal = new StopRequest();
        StopRequest a = signal.linked();
        StopRequest b = signal.linked();
        a.watch();
        b.watch();
        assertTrue(signal.isWatched());
        a.unwatch();
        assertTrue(signal.isWatched(), "b's run is still in its steps");
        assertFalse(a.isWatched());
        b.unwatch();
        assertFalse(signal.isWatched());
    }
}

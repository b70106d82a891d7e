package dev.align.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CosineScheduleTest {

    private final CosineSchedule schedule = new CosineSchedule(1e-3, 1e-5, 10, 110);

    @Test
    void warmsUpLinearlyFromOneStepOfLr() {
        assertEquals(1e-3 * 1 / 10, schedule.lr(0), 0);
        assertEquals(1e-3 * 5 / 10, schedule.lr(4), 0);
        assertEquals(1e-3, schedule.lr(9), 0); // warmup - 1 reaches the peak
    }

    @Test
    void decaysByCosineToMinAndStaysThere() {
        assertEquals(1e-3, schedule.lr(10), 0); // progress 0
        assertEquals(1e-5 + 0.5 * (1e-3 - 1e-5), schedule.lr(60), 1e-18); // midpoint
        assertEquals(1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + Math.cos(Math.PI * 0.25)), schedule.lr(35), 0);
        assertEquals(1e-5, schedule.lr(110), 1e-18); // end
        assertEquals(schedule.lr(110), schedule.lr(111), 0); // past the end
        assertEquals(schedule.lr(110), schedule.lr(1_000_000), 0);
    }

    @Test
    void isMonotoneAfterWarmup() {
        for (long s = 10; s < 120; s++) {
            assertTrue(schedule.lr(s + 1) <= schedule.lr(s), "step " + s);
        }
    }

    @Test
    void zeroWarmupStartsAtPeak() {
        CosineSchedule noWarmup = new CosineSchedule(2.0, 0.0, 0, 4);
        assertEquals(2.0, noWarmup.lr(0), 0);
        assertEquals(1.0, noWarmup.lr(2), 1e-15);
        assertEquals(0.0, noWarmup.lr(4), 0);
    }

    @Test
    void rejectsBadSettingsWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CosineSchedule(1e-3, 0, 10, 10));
        assertTrue(e.getMessage().contains("totalSteps=10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1e-3, 1e-2, 0, 10));
        assertTrue(e.getMessage().contains("minLr=0.01"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1e-3, -1e-4, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1e-3, 0, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> schedule.lr(-1));
    }
}

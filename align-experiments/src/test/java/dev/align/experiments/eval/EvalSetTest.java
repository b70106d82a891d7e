package dev.align.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvalSetTest {

    /** 30 classes: emoji:E000..E027 plus one that maps to no concept and one outside the pool. */
    static List<EvalClass> classes() {
        List<EvalClass> out = new ArrayList<>();
        for (int c = 0; c < 28; c++) {
            out.add(new EvalClass(String.format("E%03X", c), "thing " + c,
                    String.format("emoji:E%03X", c), false));
        }
        out.add(new EvalClass("zzz", "no emoji", null, false));
        out.add(new EvalClass("E999", "elsewhere", "emoji:E999", false));
        return out;
    }

    static final Set<String> POOL = new HashSet<>();
    static final Set<String> HEAD = Set.of("emoji:E001", "emoji:E002", "emoji:E003");

    static {
        for (int c = 0; c < 28; c++) {
            POOL.add(String.format("emoji:E%03X", c));
        }
    }

    @Test
    void halfHeadHalfTailWhenThereAreEnoughHeads() {
        List<EvalClass> chosen = EvalSet.choose(classes(), POOL, HEAD, 4, 1);
        assertEquals(4, chosen.size());
        assertEquals(2, chosen.stream().filter(EvalClass::head).count());
        for (EvalClass c : chosen) {
            assertTrue(POOL.contains(c.concept()));
            assertEquals(HEAD.contains(c.concept()), c.head());
        }
        assertEquals(chosen, EvalSet.choose(classes(), POOL, HEAD, 4, 1), "seeded");
        List<String> folders = chosen.stream().map(EvalClass::folder).toList();
        assertEquals(folders.stream().sorted().toList(), folders, "in folder order");
    }

    @Test
    void allHeadsThenTailsUpToTheCount() {
        List<EvalClass> chosen = EvalSet.choose(classes(), POOL, HEAD, 20, 1);
        assertEquals(20, chosen.size());
        assertEquals(3, chosen.stream().filter(EvalClass::head).count(), "every head, then tails");
        List<EvalClass> all = EvalSet.choose(classes(), POOL, HEAD, 0, 1);
        assertEquals(28, all.size(), "0 = every class of a pool concept");
    }

    @Test
    void needsTwoClasses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalSet.choose(classes(), Set.of("emoji:E000"), Set.of(), 0, 1));
        assertTrue(e.getMessage().contains("only 1 OpenMoji class"), e.getMessage());
    }
}

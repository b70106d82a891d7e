package dev.align.models.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class PatchDropoutTest {

    @Test
    void keptPatchesAreGolden() {
        // recorded before the mixer moved to dev.align.core.SplitMix64: resumed runs with patch
        // dropout must keep the patches they kept
        PatchDropout dropout = new PatchDropout(0.5);
        dropout.setState(11, 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            // x[b, t, 0] = t, so the output names the kept token positions
            NDArray x = manager.arange(0f, 9f).reshape(1, 9, 1).repeat(0, 2);   // [2, 9, 1]
            long[] kept = dropout.apply(x).toType(DataType.INT64, false).toLongArray();
            assertArrayEquals(new long[] {0, 1, 2, 6, 8, 0, 1, 2, 3, 4}, kept);
        }
    }
}

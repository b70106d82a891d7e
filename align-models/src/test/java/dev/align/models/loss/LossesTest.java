package dev.align.models.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.align.models.clip.ClipModel;
import dev.align.models.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LossesTest {

    /** Embeddings, scale and bias as float64 leaves. */
    private record Inputs(NDArray img, NDArray txt, NDArray scale, NDArray bias) {}

    private static Inputs inputs(NDManager m, int n, int e, long seed) {
        m.getEngine().setRandomSeed((int) seed);
        NDArray img = ClipModel.l2Normalize(m.randomNormal(0, 1, new Shape(n, e), DataType.FLOAT64));
        NDArray txt = ClipModel.l2Normalize(m.randomNormal(0, 1, new Shape(n, e), DataType.FLOAT64));
        return new Inputs(img, txt, m.create(2.3), m.create(-3.1));
    }

    private static double value(ContrastiveLoss loss, Inputs in) {
        return loss.compute(in.img, in.txt, in.scale, in.bias).getDouble();
    }

    private static void checkGradients(ContrastiveLoss loss, boolean withBias) {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = inputs(m, 5, 4, 11);
            in.img.setRequiresGradient(true);
            in.txt.setRequiresGradient(true);
            in.scale.setRequiresGradient(true);
            in.bias.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.compute(in.img, in.txt, in.scale, in.bias));
            }
            double[] gImg = in.img.getGradient().toDoubleArray();
            double[] gTxt = in.txt.getGradient().toDoubleArray();
            double[] gScale = in.scale.getGradient().toDoubleArray();
            FiniteDifferences.check("dI", in.img, gImg, () -> value(loss, in), 1e-6, 1e-8);
            FiniteDifferences.check("dT", in.txt, gTxt, () -> value(loss, in), 1e-6, 1e-8);
            FiniteDifferences.check("ds", in.scale, gScale, () -> value(loss, in), 1e-6, 1e-8);
            if (withBias) {
                FiniteDifferences.check("db", in.bias, in.bias.getGradient().toDoubleArray(),
                        () -> value(loss, in), 1e-6, 1e-8);
            }
        }
    }

    @Test
    void infoNceGradientsMatchCentralDifferences() {
        checkGradients(new InfoNceLoss(), false);
    }

    @Test
    void smoothedInfoNceGradientsMatchCentralDifferences() {
        checkGradients(new InfoNceLoss(0.1), false);
    }

    @Test
    void sigLipGradientsMatchCentralDifferences() {
        checkGradients(new SigLipLoss(), true);
    }

    @Test
    void infoNceEqualsCrossEntropyWrittenOut() {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = inputs(m, 4, 3, 5);
            double[][] logits = new double[4][4];
            double[] i = in.img.toDoubleArray();
            double[] t = in.txt.toDoubleArray();
            double scale = Math.exp(2.3);
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    for (int k = 0; k < 3; k++) {
                        logits[r][c] += scale * i[r * 3 + k] * t[c * 3 + k];
                    }
                }
            }
            double eps = 0.1;
            double expected = 0;
            for (int pass = 0; pass < 2; pass++) {
                for (int r = 0; r < 4; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < 4; c++) {
                        max = Math.max(max, pass == 0 ? logits[r][c] : logits[c][r]);
                    }
                    double z = 0;
                    for (int c = 0; c < 4; c++) {
                        z += Math.exp((pass == 0 ? logits[r][c] : logits[c][r]) - max);
                    }
                    for (int c = 0; c < 4; c++) {
                        double logp = (pass == 0 ? logits[r][c] : logits[c][r]) - max - Math.log(z);
                        double target = (c == r ? 1 - eps : 0) + eps / 4;
                        expected -= target * logp / 4 / 2;
                    }
                }
            }
            assertEquals(expected, value(new InfoNceLoss(eps), in), 1e-12);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 100})
    void chunkedSigLipEqualsAutogradSigLip(int chunk) {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = inputs(m, 7, 5, 3);
            in.img.setRequiresGradient(true);
            in.txt.setRequiresGradient(true);
            in.scale.setRequiresGradient(true);
            in.bias.setRequiresGradient(true);
            NDArray expected;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                expected = new SigLipLoss().compute(in.img, in.txt, in.scale, in.bias);
                gc.backward(expected);
            }
            try (LossGradients g = new ChunkedSigLipLoss(chunk).lossAndGradients(in.img, in.txt,
                    in.scale, in.bias)) {
                assertEquals(expected.getDouble(), g.loss().getDouble(), 1e-12);
                assertArrayEquals(in.img.getGradient().toDoubleArray(), g.imageGrad().toDoubleArray(), 1e-12);
                assertArrayEquals(in.txt.getGradient().toDoubleArray(), g.textGrad().toDoubleArray(), 1e-12);
                assertEquals(in.scale.getGradient().getDouble(), g.logitScaleGrad().getDouble(), 1e-12);
                assertEquals(in.bias.getGradient().getDouble(), g.logitBiasGrad().getDouble(), 1e-12);
                assertTrue(!g.imageGrad().hasGradient(), "no graph on the outputs");
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"1, 0", "2, 0", "3, 0.1", "7, 0.1", "100, 0"})
    void chunkedInfoNceEqualsAutogradInfoNce(int chunk, double smoothing) {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = inputs(m, 7, 5, 4);
            in.img.setRequiresGradient(true);
            in.txt.setRequiresGradient(true);
            in.scale.setRequiresGradient(true);
            NDArray expected;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                expected = new InfoNceLoss(smoothing).compute(in.img, in.txt, in.scale, null);
                gc.backward(expected);
            }
            try (LossGradients g = new ChunkedInfoNceLoss(chunk, smoothing).lossAndGradients(in.img,
                    in.txt, in.scale, in.bias)) {
                assertEquals(expected.getDouble(), g.loss().getDouble(), 1e-12);
                assertArrayEquals(in.img.getGradient().toDoubleArray(), g.imageGrad().toDoubleArray(), 1e-12);
                assertArrayEquals(in.txt.getGradient().toDoubleArray(), g.textGrad().toDoubleArray(), 1e-12);
                assertEquals(in.scale.getGradient().getDouble(), g.logitScaleGrad().getDouble(), 1e-12);
                assertEquals(0, g.logitBiasGrad().getDouble(), 0);
            }
        }
    }

    @Test
    void chunkedSigLipInFloat32AgreesToSinglePrecision() {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = inputs(m, 37, 8, 9);
            double expected = value(new SigLipLoss(), in);
            try (LossGradients g = new ChunkedSigLipLoss(10).lossAndGradients(
                    in.img.toType(DataType.FLOAT32, false), in.txt.toType(DataType.FLOAT32, false),
                    in.scale.toType(DataType.FLOAT32, false), in.bias.toType(DataType.FLOAT32, false))) {
                assertEquals(DataType.FLOAT32, g.loss().getDataType());
                assertEquals(expected, g.loss().getFloat(), 1e-5 * Math.abs(expected));
            }
        }
    }

    @Test
    void singlePairHasZeroInfoNceLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = inputs(m, 1, 3, 1);
            assertEquals(0, value(new InfoNceLoss(), in), 1e-15);
            assertEquals(0, value(new InfoNceLoss(0.1), in), 1e-15);
        }
    }

    @Test
    void rejectsMismatchedBatchesAndMissingBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.zeros(new Shape(4, 3));
            NDArray b = m.zeros(new Shape(5, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new InfoNceLoss().compute(a, b, m.create(1f), null));
            assertTrue(e.getMessage().contains("(4, 3)") && e.getMessage().contains("(5, 3)"), e.getMessage());
            IllegalArgumentException bias = assertThrows(IllegalArgumentException.class,
                    () -> new SigLipLoss().compute(a, a, m.create(1f), null));
            assertTrue(bias.getMessage().contains("withSigLipInit"), bias.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(1.0));
            assertThrows(IllegalArgumentException.class, () -> new ChunkedSigLipLoss(0));
        }
    }
}

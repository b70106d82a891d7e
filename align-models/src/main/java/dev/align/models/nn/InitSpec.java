package dev.align.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * How one parameter is initialised: a normal distribution, a uniform one or a constant. As an
 * {@link Initializer} it draws from the engine's random generator (what a plain DJL
 * {@code Block.initialize} does); {@link #seeded(long, String)} instead draws from a Java
 * generator keyed by (seed, parameter name), so the same seed gives the same weights on every
 * device and in any initialisation order.
 *
 * @param kind the distribution
 * @param value the standard deviation (normal), half-width (uniform) or value (constant)
 */
public record InitSpec(Kind kind, double value) implements Initializer {

    /** The distribution of an {@link InitSpec}. */
    public enum Kind {
        /** {@code N(0, value²)}. */
        NORMAL,
        /** {@code U(-value, value)}. */
        UNIFORM,
        /** Every element equals {@code value}. */
        CONSTANT
    }

    /** {@code N(0, std²)}. */
    public static InitSpec normal(double std) {
        return new InitSpec(Kind.NORMAL, std);
    }

    /** {@code U(-bound, bound)}. */
    public static InitSpec uniform(double bound) {
        return new InitSpec(Kind.UNIFORM, bound);
    }

    /** Every element {@code value}. */
    public static InitSpec constant(double value) {
        return new InitSpec(Kind.CONSTANT, value);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return switch (kind) {
            case NORMAL -> manager.randomNormal(0f, (float) value, shape, dataType);
            case UNIFORM -> manager.randomUniform((float) -value, (float) value, shape, dataType);
            case CONSTANT -> manager.full(shape, (float) value, dataType);
        };
    }

    /**
     * This distribution drawn from a generator seeded by {@code seed} and the parameter's name.
     *
     * @param seed the model seed
     * @param key the parameter's OpenCLIP name, e.g. {@code "visual.proj"}
     */
    public Initializer seeded(long seed, String key) {
        long stream = seed * 0x9E3779B97F4A7C15L ^ fnv1a64(key);
        return (manager, shape, dataType) -> {
            SplittableRandom random = new SplittableRandom(stream);
            int n = Math.toIntExact(shape.size());
            if (dataType == DataType.FLOAT64) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = sample(random);
                }
                try (NDArray array = manager.create(v, shape)) {
                    return array.duplicate();
                }
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) sample(random);
            }
            // On CPU, create() wraps Java memory without copying; the weights must own theirs.
            try (NDArray array = manager.create(v, shape)) {
                return dataType == DataType.FLOAT32 ? array.duplicate() : array.toType(dataType, true);
            }
        };
    }

    private double sample(SplittableRandom random) {
        return switch (kind) {
            case NORMAL -> random.nextGaussian() * value;
            case UNIFORM -> (random.nextDouble() * 2 - 1) * value;
            case CONSTANT -> value;
        };
    }

    private static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}

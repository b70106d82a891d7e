package dev.align.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.testing.fuzz.FuzzHarness;
import dev.align.core.testing.fuzz.JsonMutator;
import dev.align.core.testing.fuzz.Mutator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the safetensors reader with mutated valid files: byte-level mutations, mutations of the
 * header's JSON (values of the wrong type or at the edge of their range, missing, extra and
 * repeated keys) with a consistent or an inflated length prefix, and truncated or padded data.
 * The reader must return tensors or throw {@link SafeTensorsFormatException}; whatever it returns
 * must convert to arrays without error. Inputs per property: {@link FuzzHarness#tries()}.
 */
class SafeTensorsFuzzTest {

    /** Header, tensors and their arrays: a small multiple of the file plus the JSON tree. */
    private static final FuzzHarness BYTES = harness("safetensors (bytes)");
    private static final FuzzHarness FILES = harness("safetensors (file)");
    private static final List<byte[]> SEEDS = seeds();
    private static final List<byte[]> HEADERS = headers(SEEDS);

    private static FuzzHarness harness(String name) {
        return FuzzHarness.builder(name)
                .allows(SafeTensorsFormatException.class)
                .maxAllocated(n -> 48 * n + (16L << 20), "48 x file + 16 MiB")
                .build();
    }

    @Test
    void bytesParseOrAreRejectedWithTheFormatException() {
        BYTES.check(SafeTensorsFuzzTest::mutate, input -> use(SafeTensors.fromBytes(input)));
    }

    @Test
    void filesParseOrAreRejectedWithTheFormatException() throws IOException {
        Path file = Files.createTempFile("fuzz", ".safetensors");
        try {
            FILES.check(SafeTensorsFuzzTest::mutate, input -> {
                Files.write(file, input);
                use(SafeTensors.readFile(file));
            });
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void report() {
        BYTES.writeReport();
        FILES.writeReport();
    }

    /** What a loader does with a parsed file: read every tensor as numbers. */
    private static void use(SafeTensorsFile file) {
        for (TensorData t : file.tensors().values()) {
            switch (t.dtype()) {
                case F64, F32, F16, BF16 -> assertEquals(t.elementCount(), t.toDoubleArray().length);
                case BOOL -> assertEquals(t.elementCount(), t.byteCount());
                default -> assertEquals(t.elementCount(), t.toLongArray().length);
            }
        }
    }

    private static byte[] mutate(Random random) {
        Mutator bytes = new Mutator(random);
        byte[] seed = SEEDS.get(random.nextInt(SEEDS.size()));
        int mode = random.nextInt(3);
        if (mode == 0) {
            return bytes.mutate(seed, SEEDS);
        }
        long n = ByteBuffer.wrap(seed, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] header = Arrays.copyOfRange(seed, 8, (int) (8 + n));
        byte[] data = Arrays.copyOfRange(seed, (int) (8 + n), seed.length);
        if (mode == 1) {
            JsonNode tree = JsonMutator.parse(new String(header, StandardCharsets.UTF_8));
            header = new JsonMutator(bytes).mutate(tree, HEADERS);
        } else {
            header = bytes.mutate(header, HEADERS);
        }
        if (random.nextInt(4) == 0) {
            data = bytes.mutate(data, List.of());
        }
        long prefix = switch (random.nextInt(8)) {
            case 0 -> bytes.interestingLong();
            case 1 -> header.length + random.nextInt(17) - 8;
            default -> header.length;
        };
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(prefix).put(header).put(data);
        return out.array();
    }

    /** Valid files: every type, scalars, empty tensors, metadata, one and many tensors. */
    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        Map<String, TensorData> mixed = new LinkedHashMap<>();
        mixed.put("visual.conv1.weight", TensorData.ofFloats(new long[] {2, 3, 2, 2},
                new float[24]));
        mixed.put("logit_scale", TensorData.ofFloats(new long[0], new float[] {2.6592f}));
        mixed.put("ids", TensorData.ofLongs(new long[] {2, 3}, new long[] {1, 2, 3, 4, 5, 6}));
        mixed.put("counts", TensorData.ofInts(new long[] {4}, new int[] {7, 8, 9, 10}));
        mixed.put("empty", TensorData.ofFloats(new long[] {0, 5}, new float[0]));
        mixed.put("d", TensorData.ofDoubles(new long[] {3}, new double[] {1.5, -2, 1e300}));
        seeds.add(SafeTensors.toBytes(mixed, Map.of("format", "pt", "align.config", "{\"a\":1}")));
        for (DType t : DType.values()) {
            int elements = 6;
            ByteBuffer b = ByteBuffer.allocate(elements * t.byteSize());
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, (byte) (i * 37));
            }
            seeds.add(SafeTensors.toBytes(Map.of("t", new TensorData(t, new long[] {2, 3}, b)),
                    Map.of()));
        }
        seeds.add(SafeTensors.toBytes(Map.of(), Map.of()));
        seeds.add(SafeTensors.toBytes(Map.of(), Map.of("only", "metadata")));
        Map<String, TensorData> many = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            many.put("layer." + i + ".w", TensorData.ofFloats(new long[] {i % 4 + 1, 2},
                    new float[(i % 4 + 1) * 2]));
        }
        seeds.add(SafeTensors.toBytes(many, Map.of()));
        return seeds;
    }

    private static List<byte[]> headers(List<byte[]> seeds) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] s : seeds) {
            long n = ByteBuffer.wrap(s, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            out.add(Arrays.copyOfRange(s, 8, (int) (8 + n)));
        }
        return out;
    }

    static {
        try {
            for (byte[] s : SEEDS) {
                SafeTensors.fromBytes(s); // the seeds themselves are valid
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

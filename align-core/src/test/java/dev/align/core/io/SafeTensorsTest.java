package dev.align.core.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ interop with the reference

    @Test
    void readsAndWritesTheReferenceBytesForOneFloatTensor() throws IOException {
        // What huggingface/safetensors serializes for {"a": float32 [1.0, 2.0]}: the 54-byte
        // compact header padded with 2 spaces to 56, then the data.
        byte[] reference = file(56,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ",
                floats(1f, 2f));

        SafeTensorsFile parsed = SafeTensors.fromBytes(reference);
        assertEquals(List.of("a"), List.copyOf(parsed.tensors().keySet()));
        assertArrayEquals(new long[] {2}, parsed.tensor("a").shape());
        assertArrayEquals(new float[] {1f, 2f}, parsed.tensor("a").toFloatArray());
        assertEquals(Map.of(), parsed.metadata());

        byte[] ours = SafeTensors.toBytes(
                Map.of("a", TensorData.ofFloats(new long[] {2}, new float[] {1f, 2f})), Map.of());
        assertArrayEquals(reference, ours);
    }

    @Test
    void matchesTheReferenceUnitTestVectors() throws IOException {
        // safetensors/src/tensor.rs, test_serialization: "attn.0" F32 [1, 2, 3] = 0..5; its
        // header is exactly 64 bytes, so no padding.
        TensorData attn =
                TensorData.ofFloats(new long[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5});
        assertArrayEquals(file(64,
                        "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}",
                        floats(0, 1, 2, 3, 4, 5)),
                SafeTensors.toBytes(Map.of("attn.0", attn), Map.of()));
        // test_empty: no tensors, with and without metadata.
        assertArrayEquals(file(8, "{}      ", new byte[0]),
                SafeTensors.toBytes(Map.of(), Map.of()));
        assertArrayEquals(file(40, "{\"__metadata__\":{\"framework\":\"pt\"}}     ", new byte[0]),
                SafeTensors.toBytes(Map.of(), Map.of("framework", "pt")));
        assertEquals(Map.of("framework", "pt"),
                SafeTensors.fromBytes(SafeTensors.toBytes(Map.of(), Map.of("framework", "pt")))
                        .metadata());
    }

    @Test
    void ordersTensorsLikeTheReferenceByAlignmentThenName() throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("b", raw(DType.U8, new long[] {1}, 7));
        tensors.put("d", TensorData.ofFloats(new long[] {1}, new float[] {4f}));
        tensors.put("a", TensorData.ofFloats(new long[] {1}, new float[] {3f}));
        tensors.put("c", TensorData.ofLongs(new long[] {1}, new long[] {9}));

        byte[] bytes = SafeTensors.toBytes(tensors, Map.of());

        String expectedHeader = "{"
                + "\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"d\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[16,17]}}";
        assertEquals(expectedHeader, header(bytes).strip());
        assertEquals(List.of("c", "a", "d", "b"),
                List.copyOf(SafeTensors.fromBytes(bytes).tensors().keySet()));
    }

    @Test
    void everyTensorStartsAtAMultipleOfItsElementSize() throws IOException {
        Map<String, TensorData> tensors = new HashMap<>();
        tensors.put("byte", raw(DType.U8, new long[] {3}, 1, 2, 3));
        tensors.put("half", raw(DType.F16, new long[] {1}, 0, 0x3c));
        tensors.put("float", TensorData.ofFloats(new long[] {3}, new float[] {1, 2, 3}));
        tensors.put("long", TensorData.ofLongs(new long[] {1}, new long[] {5}));
        tensors.put("double", TensorData.ofDoubles(new long[] {1}, new double[] {5}));
        for (int nameLength = 1; nameLength <= 16; nameLength++) {
            tensors.put("x".repeat(nameLength), raw(DType.BOOL, new long[] {1}, 1));
            byte[] bytes = SafeTensors.toBytes(tensors, Map.of());
            long headerBytes = headerLength(bytes);
            assertEquals(0, (8 + headerBytes) % 8, "data must start 8-aligned");
            for (int i = header(bytes).stripTrailing().length(); i < headerBytes; i++) {
                assertEquals(' ', bytes[8 + i], "the header is padded with spaces");
            }
            String header = header(bytes);
            for (Map.Entry<String, TensorData> e : SafeTensors.fromBytes(bytes).tensors()
                    .entrySet()) {
                long begin = dataBegin(header, e.getKey());
                assertEquals(0, (8 + headerBytes + begin) % e.getValue().dtype().byteSize(),
                        e.getKey());
            }
            tensors.remove("x".repeat(nameLength));
        }
    }

    @Test
    void escapesNamesLikeSerdeJson() throws IOException {
        String name = "q\"b\\s\nn\t\u0001\u007fé😀";
        byte[] bytes = SafeTensors.toBytes(
                Map.of(name, raw(DType.U8, new long[0], 1)), Map.of("k\u001f", "v\r"));
        assertTrue(header(bytes).startsWith(
                "{\"__metadata__\":{\"k\\u001f\":\"v\\r\"},"
                        + "\"q\\\"b\\\\s\\nn\\t\\u0001\u007fé😀\":{"), header(bytes));
        SafeTensorsFile back = SafeTensors.fromBytes(bytes);
        assertEquals(List.of(name), List.copyOf(back.tensors().keySet()));
        assertEquals(Map.of("k\u001f", "v\r"), back.metadata());
    }

    @Test
    void ordersNamesByCodePointAsRustDoes() throws IOException {
        // UTF-16 puts the surrogate of U+1F600 (0xD83D) before U+FFFF; UTF-8 bytes and code
        // points put it after.
        String high = "\uFFFF";
        String emoji = "😀";
        byte[] bytes = SafeTensors.toBytes(Map.of(
                emoji, raw(DType.U8, new long[] {1}, 1),
                high, raw(DType.U8, new long[] {1}, 2)), Map.of());
        assertEquals(List.of(high, emoji),
                List.copyOf(SafeTensors.fromBytes(bytes).tensors().keySet()));
    }

    // -------------------------------------------------------------------------------- round trip

    @Test
    void roundTripsBitExactThroughAFile() throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("logit_scale",
                TensorData.ofDoubles(new long[0], new double[] {Math.log(1 / 0.07)}));
        tensors.put("weights", TensorData.ofFloats(new long[] {2, 3}, new float[] {
                1.5f, -0f, Float.intBitsToFloat(0x7fc00001), Float.MIN_VALUE, -Float.MAX_VALUE,
                Float.NEGATIVE_INFINITY}));
        tensors.put("position_ids", TensorData.ofLongs(new long[] {1, 4}, new long[] {
                0, 1, Long.MAX_VALUE, Long.MIN_VALUE}));
        tensors.put("counts", TensorData.ofInts(new long[] {2}, new int[] {-1, 1 << 30}));
        tensors.put("empty", TensorData.ofFloats(new long[] {0, 4}, new float[0]));
        tensors.put("half", raw(DType.F16, new long[] {2}, 0x00, 0x3c, 0x00, 0xfc));
        tensors.put("bf16", raw(DType.BF16, new long[] {1}, 0x80, 0x3f));
        tensors.put("mask", raw(DType.BOOL, new long[] {3}, 1, 0, 1));
        tensors.put("int8", raw(DType.I8, new long[] {2}, 0x80, 0x7f));
        tensors.put("int16", raw(DType.I16, new long[] {1}, 0x00, 0x80));
        tensors.put("uint8", raw(DType.U8, new long[] {1}, 0xff));
        Map<String, String> metadata = Map.of("format", "pt", "step", "1200");
        Path path = dir.resolve("model.safetensors");

        SafeTensors.write(path, tensors, metadata);
        SafeTensorsFile back = SafeTensors.readFile(path);

        assertEquals(tensors, back.tensors());
        assertEquals(metadata, back.metadata());
        assertArrayEquals(new double[] {Math.log(1 / 0.07)},
                back.tensor("logit_scale").toDoubleArray());
        assertEquals(0x7fc00001,
                Float.floatToRawIntBits(back.tensor("weights").toFloatArray()[2]));
        assertArrayEquals(new long[] {0, 1, Long.MAX_VALUE, Long.MIN_VALUE},
                back.tensor("position_ids").toLongArray());
        assertArrayEquals(new float[] {1f, Float.NEGATIVE_INFINITY},
                back.tensor("half").toFloatArray());
        byte[] written = Files.readAllBytes(path);
        assertArrayEquals(written, SafeTensors.toBytes(back.tensors(), back.metadata()),
                "rewriting what was read gives the same bytes");
        assertEquals(back.tensors(), SafeTensors.read(path));
    }

    @Test
    void writesIdenticalBytesWhateverTheMapOrder() {
        TensorData a = TensorData.ofFloats(new long[] {2}, new float[] {1, 2});
        TensorData b = TensorData.ofFloats(new long[] {1}, new float[] {3});
        TensorData c = TensorData.ofLongs(new long[0], new long[] {4});
        Map<String, TensorData> forward = new LinkedHashMap<>();
        forward.put("a", a);
        forward.put("b", b);
        forward.put("c", c);
        Map<String, TensorData> backward = new LinkedHashMap<>();
        backward.put("c", c);
        backward.put("b", b);
        backward.put("a", a);
        Map<String, String> metaForward = new LinkedHashMap<>();
        metaForward.put("x", "1");
        metaForward.put("y", "2");
        Map<String, String> metaBackward = new LinkedHashMap<>();
        metaBackward.put("y", "2");
        metaBackward.put("x", "1");

        byte[] first = SafeTensors.toBytes(forward, metaForward);
        assertArrayEquals(first, SafeTensors.toBytes(backward, metaBackward));
        assertArrayEquals(first,
                SafeTensors.toBytes(new HashMap<>(forward), Map.copyOf(metaForward)));
    }

    @Test
    void readsTensorsInOffsetOrderNotHeaderOrder() throws IOException {
        byte[] bytes = file(
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]},"
                        + "\"z\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                new byte[] {10, 20});
        Map<String, TensorData> tensors = SafeTensors.fromBytes(bytes).tensors();
        assertEquals(List.of("z", "a"), List.copyOf(tensors.keySet()));
        assertArrayEquals(new long[] {20}, tensors.get("a").toLongArray());
        assertThrows(UnsupportedOperationException.class, () -> tensors.remove("a"));
    }

    @Test
    void acceptsZeroSizedTensorsAndANullMetadata() throws IOException {
        byte[] bytes = file("{\"__metadata__\":null,"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                        + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                new byte[] {5});
        SafeTensorsFile parsed = SafeTensors.fromBytes(bytes);
        assertEquals(0, parsed.tensor("a").elementCount());
        assertEquals(Map.of(), parsed.metadata());
    }

    // ----------------------------------------------------------------------------------- writing

    @Test
    void refusesATensorNamedLikeTheMetadataKeyWithoutTouchingTheFile() throws IOException {
        Path path = dir.resolve("model.safetensors");
        Files.writeString(path, "old");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(path, Map.of("__metadata__",
                        raw(DType.U8, new long[0], 0)), Map.of()));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        assertEquals("old", Files.readString(path));
    }

    @Test
    void refusesNamesThatAreNotUnicode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(Map.of("bad\uD800", raw(DType.U8, new long[0], 0)),
                        Map.of()));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
    }

    // ------------------------------------------------------------------- broken or hostile files

    @Test
    void rejectsAHugeHeaderLengthBeforeAllocating() {
        assertRejected(withLength(1L << 60, new byte[16]),
                "header length 1152921504606846976 exceeds the limit of 100000000 bytes");
        assertRejected(withLength(-1L, new byte[16]),
                "header length 18446744073709551615 exceeds the limit");
    }

    @Test
    void rejectsAHeaderLengthPastTheEndOfTheFile() {
        assertRejected(withLength(1000, "{}".getBytes(UTF_8)),
                "header length 1000 exceeds the 2 bytes that follow it");
    }

    @Test
    void rejectsAFileShorterThanTheLengthPrefix() {
        assertRejected(new byte[] {8, 0, 0}, "the file has 3 bytes, fewer than the 8-byte");
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        byte[] whole = SafeTensors.toBytes(
                Map.of("w", TensorData.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4})),
                Map.of());
        Path path = dir.resolve("truncated.safetensors");
        Files.write(path, Arrays.copyOf(whole, whole.length - 1));
        SafeTensorsFormatException e =
                assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(path));
        assertEquals(path + ": tensor 'w': data_offsets [0,16] end past the end of the 15-byte "
                + "data buffer (truncated file?)", e.getMessage());
    }

    @Test
    void rejectsOffsetsPastTheEndOfTheBuffer() {
        assertRejected(file(tensor("a", "F32", "[4]", "[0,16]"), new byte[8]),
                "tensor 'a': data_offsets [0,16] end past the end of the 8-byte data buffer");
    }

    @Test
    void rejectsAByteCountThatDoesNotMatchTheShape() {
        assertRejected(file(tensor("a", "F32", "[3]", "[0,8]"), new byte[8]),
                "tensor 'a': data_offsets [0,8] span 8 bytes but F32 of shape [3] needs "
                        + "3 elements x 4 bytes");
    }

    @Test
    void rejectsOverlappingTensors() {
        assertRejected(file("{" + entry("a", "F32", "[2]", "[0,8]") + ","
                        + entry("b", "F32", "[2]", "[4,12]") + "}", new byte[12]),
                "tensor 'b' at [4, 12] overlaps tensor 'a', which ends at 8");
    }

    @Test
    void rejectsAHoleBetweenTensors() {
        assertRejected(file("{" + entry("a", "F32", "[1]", "[0,4]") + ","
                        + entry("b", "F32", "[1]", "[8,12]") + "}", new byte[12]),
                "bytes [4, 8) of the data buffer belong to no tensor (a hole before tensor 'b')");
        assertRejected(file(tensor("a", "F32", "[1]", "[4,8]"), new byte[8]),
                "bytes [0, 4) of the data buffer belong to no tensor");
    }

    @Test
    void rejectsTrailingBytesAfterTheLastTensor() {
        assertRejected(file(tensor("a", "F32", "[1]", "[0,4]"), new byte[8]),
                "the tensors cover 4 bytes but the data buffer has 8 bytes");
    }

    @Test
    void rejectsAnUnknownDtype() {
        assertRejected(file(tensor("a", "U16", "[1]", "[0,2]"), new byte[2]),
                "tensor 'a': unsupported dtype \"U16\" (supported: [F64, F32,");
        assertRejected(file(tensor("a", "f32", "[1]", "[0,4]"), new byte[4]),
                "unsupported dtype \"f32\"");
        assertRejected(file("{\"a\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4]), "unsupported dtype 4");
    }

    @Test
    void rejectsADuplicateTensorName() {
        String header = "{" + entry("a", "U8", "[1]", "[0,1]") + ","
                + entry("a", "U8", "[1]", "[1,2]") + "}";
        SafeTensorsFormatException e = assertRejected(file(header, new byte[2]),
                "the header is not valid JSON");
        assertTrue(e.getMessage().contains("Duplicate field 'a'"),
                e.getMessage());
    }

    @Test
    void rejectsADuplicateMetadataKey() {
        SafeTensorsFormatException e = assertRejected(
                file("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", new byte[0]),
                "the header is not valid JSON");
        assertTrue(e.getMessage().contains("Duplicate"), e.getMessage());
    }

    @Test
    void rejectsANegativeDimension() {
        assertRejected(file(tensor("a", "F32", "[-1]", "[0,0]"), new byte[0]),
                "tensor 'a': shape [-1] has -1, which is not a non-negative 64-bit integer");
    }

    @Test
    void rejectsAnElementCountThatOverflows() {
        assertRejected(file(tensor("a", "U8", "[4294967296,4294967296]", "[0,0]"), new byte[0]),
                "tensor 'a': shape [4294967296,4294967296] has more elements than a 64-bit count");
        // Fits in a long as elements, not as bytes.
        assertRejected(file(tensor("a", "F64", "[2305843009213693952]", "[0,8]"), new byte[8]),
                "needs 2305843009213693952 elements x 8 bytes");
    }

    @Test
    void rejectsMalformedDataOffsets() {
        assertRejected(file(tensor("a", "U8", "[1]", "[1,0]"), new byte[1]),
                "tensor 'a': data_offsets [1,0] begin after their end");
        assertRejected(file(tensor("a", "U8", "[1]", "[0]"), new byte[1]),
                "data_offsets must be an array [begin, end] but is [0]");
        assertRejected(file(tensor("a", "U8", "[1]", "[-1,0]"), new byte[1]),
                "data_offsets [-1,0] has -1, which is not a non-negative 64-bit integer");
        assertRejected(file(tensor("a", "U8", "[1]", "[0,1.0]"), new byte[1]),
                "which is not a non-negative 64-bit integer");
        assertRejected(file(tensor("a", "U8", "[1]", "[\"0\",1]"), new byte[1]),
                "which is not a non-negative 64-bit integer");
        assertRejected(file(tensor("a", "U8", "[1]", "[0,18446744073709551616]"), new byte[1]),
                "18446744073709551616, which is not a non-negative 64-bit integer");
    }

    @Test
    void rejectsMetadataThatIsNotStrings() {
        assertRejected(file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
                "__metadata__ value for key 'epoch' must be a string but is 3");
        assertRejected(file("{\"__metadata__\":[\"x\"]}", new byte[0]),
                "__metadata__ must be an object of strings but is [\"x\"]");
    }

    @Test
    void rejectsMissingAndUnknownTensorKeys() {
        assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1]}}", new byte[1]),
                "tensor 'a': missing key 'data_offsets'");
        assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],"
                        + "\"offset\":0}}", new byte[1]),
                "tensor 'a': unknown key 'offset'");
        assertRejected(file("{\"a\":[1,2]}", new byte[0]),
                "tensor 'a': expected an object with dtype, shape and data_offsets but found "
                        + "[1,2]");
    }

    @Test
    void rejectsAHeaderThatIsNotOneJsonObject() {
        assertRejected(file("{\"a\":", new byte[0]), "the header is not valid JSON");
        assertRejected(file("[]", new byte[0]), "the header must be a JSON object but is ARRAY");
        assertRejected(file("        ", new byte[0]),
                "the header must be a JSON object but is empty");
        assertRejected(file("{} {}", new byte[0]), "the header is not valid JSON");
        assertRejected(file("{}\0\0", new byte[0]), "the header is not valid JSON");
    }

    @Test
    void rejectsAHeaderThatIsNotUtf8() {
        byte[] bytes = file("{\"a\":{}}", new byte[0]);
        bytes[8 + 2] = (byte) 0xff;
        // Once "MalformedInputException: Input length = 1" (found by SafeTensorsFuzzTest); now
        // the place of the bad byte.
        assertRejected(bytes, "the header is not valid UTF-8: byte 0xFF at offset 2 does not fit "
                + "(counted from the header's start)");
    }

    @Test
    void rejectsATensorOver2GiBWithoutAllocatingIt() throws IOException {
        // F32 [2^29 + 1] is 2^31 + 4 bytes. The file is sparse, so the test writes almost nothing.
        String header = tensor("big", "F32", "[536870913]", "[0,2147483652]");
        byte[] head = file(header, new byte[0]);
        Path path = dir.resolve("big.safetensors");
        Files.write(path, head);
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(head.length + 2_147_483_652L);
        }
        SafeTensorsFormatException e =
                assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(path));
        assertEquals(path + ": tensor 'big' has 2147483652 bytes; tensors over 2147483639 bytes "
                + "(2 GiB) are not supported", e.getMessage());
    }

    @Test
    void namesTheFileInEveryMessage() throws IOException {
        Path path = dir.resolve("broken.safetensors");
        Files.write(path, withLength(1L << 60, new byte[16]));
        SafeTensorsFormatException e =
                assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.readFile(path));
        assertTrue(e.getMessage().startsWith(path + ": header length"), e.getMessage());
    }

    // ----------------------------------------------------------------------------------- helpers

    private static SafeTensorsFormatException assertRejected(byte[] bytes, String expected) {
        SafeTensorsFormatException e =
                assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.fromBytes(bytes));
        assertTrue(e.getMessage().startsWith("<bytes>: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected),
                "expected message containing\n  " + expected + "\nbut was\n  " + e.getMessage());
        return e;
    }

    /** A header with one tensor. */
    private static String tensor(String name, String dtype, String shape, String offsets) {
        return "{" + entry(name, dtype, shape, offsets) + "}";
    }

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":" + offsets + "}";
    }

    /** A file whose length prefix is the UTF-8 length of {@code header}, unpadded. */
    private static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(UTF_8);
        return file(json.length, header, data);
    }

    /** A file with an explicit length prefix, checked against the header text. */
    private static byte[] file(long headerLength, String header, byte[] data) {
        byte[] json = header.getBytes(UTF_8);
        assertEquals(headerLength, json.length, "test bug: the header length");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(withLength(headerLength, json));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] withLength(long headerLength, byte[] rest) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        return buffer.putLong(headerLength).put(rest).array();
    }

    private static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    private static TensorData raw(DType dtype, long[] shape, int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return new TensorData(dtype, shape, ByteBuffer.wrap(data));
    }

    private static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static String header(byte[] file) {
        return new String(file, 8, (int) headerLength(file), UTF_8);
    }

    /** The begin offset the header gives for a tensor, found by text. */
    private static long dataBegin(String header, String name) {
        int at = header.indexOf("\"" + name + "\":");
        int offsets = header.indexOf("\"data_offsets\":[", at) + "\"data_offsets\":[".length();
        return Long.parseLong(header.substring(offsets, header.indexOf(',', offsets)));
    }
}

package dev.align.core.io;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format of huggingface/safetensors, the checkpoint format of
 * OpenCLIP and the HuggingFace hub.
 *
 * <p>A file is an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON, then the
 * data buffer. The JSON maps each tensor name to {@code {"dtype", "shape", "data_offsets"}}, the
 * offsets being {@code [begin, end)} relative to the start of the data buffer, plus an optional
 * {@code "__metadata__"} object of strings. Data is little-endian and row-major.
 *
 * <p>Writing produces the same bytes as the reference implementation's {@code serialize}: tensors
 * ordered by decreasing alignment of their type (I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL)
 * and then by name, data packed contiguously in that order, compact JSON with keys in the order
 * dtype, shape, data_offsets ({@code __metadata__} first, its keys sorted), padded with spaces so
 * the data starts at a multiple of 8. Since the header is 8-aligned and larger types come first,
 * every tensor starts at a multiple of its element size. The same tensors always give identical
 * bytes, whatever the order of the map they come in.
 *
 * <p>Reading trusts nothing in the file: every length and offset is checked against the file
 * size before anything is allocated, and the tensors must tile the data buffer exactly, as the
 * reference requires. Each tensor is read into its own heap buffer (the file is not kept open or
 * mapped, so it can be replaced while the tensors are in use); one tensor may hold at most
 * {@code Integer.MAX_VALUE - 8} bytes, the largest Java array.
 */
public final class SafeTensors {

    /** Largest header read or written, in bytes: 100,000,000, the reference's limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final Set<String> TENSOR_KEYS = Set.of("dtype", "shape", "data_offsets");
    private static final int LENGTH_PREFIX_BYTES = 8;
    private static final int HEADER_ALIGNMENT_BYTES = 8;
    /** Bounds FileChannel's temporary direct buffer, which is as large as the read it serves. */
    private static final int READ_CHUNK_BYTES = 1 << 20;
    private static final int WRITE_CHUNK_BYTES = 1 << 16;
    private static final String BYTES_SOURCE = "<bytes>";
    /** Java arrays, and so heap buffers, stop a few bytes short of Integer.MAX_VALUE. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private static final ObjectMapper HEADER_MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // Strings may be as long as the header allows; depth and number length keep
                    // Jackson's defaults, which bound the work a hostile header can cause.
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength((int) MAX_HEADER_BYTES).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Orders strings as Rust orders them: by UTF-8 bytes, which is by code point. */
    private static final Comparator<String> BY_CODE_POINT = (a, b) -> Arrays.compare(
            a.codePoints().toArray(), b.codePoints().toArray());

    private SafeTensors() {}

    /**
     * Reads the tensors of a safetensors file.
     *
     * @param file the file
     * @return unmodifiable map from name to tensor, in file order (by data offset)
     * @throws SafeTensorsFormatException if the file is not a valid safetensors file; the message
     *     names the file, the tensor and the offending values
     * @throws IOException if the file cannot be read
     */
    public static Map<String, TensorData> read(Path file) throws IOException {
        return readFile(file).tensors();
    }

    /**
     * Reads the tensors and the {@code __metadata__} of a safetensors file.
     *
     * @param file the file
     * @return tensors in file order (by data offset) and the header metadata
     * @throws SafeTensorsFormatException if the file is not a valid safetensors file; the message
     *     names the file, the tensor and the offending values
     * @throws IOException if the file cannot be read
     */
    public static SafeTensorsFile readFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new ChannelSource(channel, file.toString()), file.toString());
        }
    }

    /**
     * Parses safetensors bytes held in memory.
     *
     * @param bytes a complete safetensors file
     * @return tensors in data-offset order and the header metadata
     * @throws SafeTensorsFormatException as {@link #readFile(Path)}, naming the source
     *     {@code <bytes>}
     */
    public static SafeTensorsFile fromBytes(byte[] bytes) throws SafeTensorsFormatException {
        Objects.requireNonNull(bytes, "bytes");
        try {
            return read(new ArraySource(bytes), BYTES_SOURCE);
        } catch (SafeTensorsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a byte array cannot fail", e);
        }
    }

    /**
     * Writes tensors and metadata to a file, atomically through {@link AtomicFiles}: the old file,
     * if any, stays intact unless the new one is complete.
     *
     * @param file the file to create or replace
     * @param tensors tensors by name, in any order (see the class comment for the layout)
     * @param metadata header metadata; omitted from the file when empty
     * @throws IllegalArgumentException if a tensor is called {@code __metadata__}, a name or
     *     metadata string is not valid Unicode, or the header would exceed
     *     {@link #MAX_HEADER_BYTES}; checked before the file is touched
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, Map<String, TensorData> tensors,
            Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        Layout layout = Layout.of(tensors, metadata);
        AtomicFiles.write(file, layout::writeTo);
    }

    /**
     * Serializes tensors and metadata to the bytes {@link #write} would put in a file.
     *
     * @param tensors tensors by name, in any order
     * @param metadata header metadata; omitted when empty
     * @return a complete safetensors file
     * @throws IllegalArgumentException as {@link #write}, or if the result exceeds the largest
     *     byte array
     */
    public static byte[] toBytes(Map<String, TensorData> tensors, Map<String, String> metadata) {
        Layout layout = Layout.of(tensors, metadata);
        long total = layout.fileBytes();
        checkArgument(total <= MAX_ARRAY_BYTES,
                "%s bytes of safetensors do not fit in a byte array; write them to a file", total);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
        try {
            layout.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array cannot fail", e);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------------------------- writing

    /** Tensors in file order with the padded header that describes them. */
    private record Layout(List<Map.Entry<String, TensorData>> ordered, byte[] header,
            long dataBytes) {

        static Layout of(Map<String, TensorData> tensors, Map<String, String> metadata) {
            Objects.requireNonNull(tensors, "tensors");
            Objects.requireNonNull(metadata, "metadata");
            List<Map.Entry<String, TensorData>> ordered = new ArrayList<>(tensors.size());
            tensors.forEach((name, tensor) -> {
                Objects.requireNonNull(name, "null tensor name");
                Objects.requireNonNull(tensor, () -> "null tensor for '" + name + "'");
                checkArgument(!name.equals(METADATA_KEY),
                        "a tensor cannot be called %s: the format reserves that key", METADATA_KEY);
                checkUnicode(name, "tensor name");
                ordered.add(Map.entry(name, tensor));
            });
            ordered.sort(Comparator.<Map.Entry<String, TensorData>>comparingInt(
                            e -> -e.getValue().dtype().referenceRank())
                    .thenComparing(Map.Entry::getKey, BY_CODE_POINT));

            StringBuilder json = new StringBuilder("{");
            if (!metadata.isEmpty()) {
                json.append('"').append(METADATA_KEY).append("\":{");
                // Sorted so that equal metadata always gives equal bytes.
                Map<String, String> sorted = new TreeMap<>(BY_CODE_POINT);
                metadata.forEach((key, value) -> {
                    Objects.requireNonNull(key, "null metadata key");
                    Objects.requireNonNull(value, () -> "null metadata value for '" + key + "'");
                    checkUnicode(key, "metadata key");
                    checkUnicode(value, "metadata value");
                    sorted.put(key, value);
                });
                String separator = "";
                for (Map.Entry<String, String> entry : sorted.entrySet()) {
                    json.append(separator);
                    appendJsonString(json, entry.getKey()).append(':');
                    appendJsonString(json, entry.getValue());
                    separator = ",";
                }
                json.append('}');
            }
            long offset = 0;
            for (Map.Entry<String, TensorData> entry : ordered) {
                TensorData tensor = entry.getValue();
                if (json.length() > 1) {
                    json.append(',');
                }
                appendJsonString(json, entry.getKey());
                json.append(":{\"dtype\":\"").append(tensor.dtype().code())
                        .append("\",\"shape\":[");
                long[] shape = tensor.shape();
                for (int i = 0; i < shape.length; i++) {
                    json.append(i == 0 ? "" : ",").append(shape[i]);
                }
                long end = offset + tensor.byteCount();
                json.append("],\"data_offsets\":[").append(offset).append(',').append(end)
                        .append("]}");
                offset = end;
            }
            json.append('}');

            byte[] compact = json.toString().getBytes(StandardCharsets.UTF_8);
            long padded = roundUp(compact.length, HEADER_ALIGNMENT_BYTES);
            checkArgument(padded <= MAX_HEADER_BYTES,
                    "the header of %s tensors would take %s bytes, over the limit of %s bytes "
                            + "that readers accept", ordered.size(), padded, MAX_HEADER_BYTES);
            byte[] header = Arrays.copyOf(compact, (int) padded);
            Arrays.fill(header, compact.length, header.length, (byte) ' ');
            return new Layout(ordered, header, offset);
        }

        long fileBytes() {
            return LENGTH_PREFIX_BYTES + header.length + dataBytes;
        }

        void writeTo(OutputStream out) throws IOException {
            byte[] prefix = new byte[LENGTH_PREFIX_BYTES];
            ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(prefix);
            out.write(header);
            byte[] chunk = new byte[WRITE_CHUNK_BYTES];
            for (Map.Entry<String, TensorData> entry : ordered) {
                ByteBuffer data = entry.getValue().data();
                while (data.hasRemaining()) {
                    int n = Math.min(chunk.length, data.remaining());
                    data.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        }
    }

    private static void checkUnicode(String text, String what) {
        checkArgument(StandardCharsets.UTF_8.newEncoder().canEncode(text),
                "%s '%s' is not valid Unicode (it has an unpaired surrogate)", what, text);
    }

    /** Escapes as serde_json does, so that our header bytes equal the reference's. */
    private static StringBuilder appendJsonString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    private static long roundUp(long value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    // ---------------------------------------------------------------------------------- reading

    /** Where the bytes of a file come from: a channel, or an array for {@link #fromBytes}. */
    private interface Source {

        long size() throws IOException;

        /** Fills {@code dst} from byte {@code position} on, or fails if the source ends first. */
        void readFully(ByteBuffer dst, long position) throws IOException;
    }

    private record ChannelSource(FileChannel channel, String name) implements Source {

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void readFully(ByteBuffer dst, long position) throws IOException {
            long at = position;
            while (dst.hasRemaining()) {
                ByteBuffer chunk = dst.slice();
                chunk.limit(Math.min(chunk.limit(), READ_CHUNK_BYTES));
                int n = channel.read(chunk, at);
                if (n < 0) {
                    throw new SafeTensorsFormatException(String.format(
                            "%s: the file ended at byte %s while reading; was it truncated or "
                                    + "replaced while being read?", name, at));
                }
                dst.position(dst.position() + n);
                at += n;
            }
        }
    }

    private record ArraySource(byte[] bytes) implements Source {

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void readFully(ByteBuffer dst, long position) {
            // The reader only asks for ranges it has checked against size().
            dst.put(bytes, (int) position, dst.remaining());
        }
    }

    /** One tensor of the header, checked against itself and the buffer size. */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private static SafeTensorsFile read(Source source, String name) throws IOException {
        long fileBytes = source.size();
        if (fileBytes < LENGTH_PREFIX_BYTES) {
            throw error(name, "the file has %s bytes, fewer than the 8-byte header length",
                    fileBytes);
        }
        ByteBuffer prefix = ByteBuffer.allocate(LENGTH_PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(prefix, 0);
        long headerBytes = prefix.getLong(0); // unsigned u64: negative means at least 2^63
        if (headerBytes < 0 || headerBytes > MAX_HEADER_BYTES) {
            throw error(name, "header length %s exceeds the limit of %s bytes",
                    Long.toUnsignedString(headerBytes), MAX_HEADER_BYTES);
        }
        if (headerBytes > fileBytes - LENGTH_PREFIX_BYTES) {
            throw error(name, "header length %s exceeds the %s bytes that follow it in the file "
                    + "(truncated?)", headerBytes, fileBytes - LENGTH_PREFIX_BYTES);
        }
        ByteBuffer headerBuffer = ByteBuffer.allocate((int) headerBytes);
        source.readFully(headerBuffer, LENGTH_PREFIX_BYTES);
        long dataStart = LENGTH_PREFIX_BYTES + headerBytes;
        long bufferBytes = fileBytes - dataStart;

        JsonNode root = parseHeader(headerBuffer.flip(), name);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(field.getValue(), metadata, name);
            } else {
                entries.add(readEntry(field.getKey(), field.getValue(), bufferBytes, name));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)
                .thenComparing(Entry::name, BY_CODE_POINT));
        checkTiling(entries, bufferBytes, name);

        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Entry entry : entries) {
            // Only now, with every range checked against the file size, is memory allocated.
            ByteBuffer data = ByteBuffer.allocate((int) (entry.end() - entry.begin()));
            source.readFully(data, dataStart + entry.begin());
            tensors.put(entry.name(), new TensorData(entry.dtype(), entry.shape(), data.flip()));
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    private static JsonNode parseHeader(ByteBuffer header, String name)
            throws SafeTensorsFormatException {
        String text;
        try {
            text = TextFiles.decode(Arrays.copyOfRange(header.array(), header.position(),
                    header.limit()), "the header");
        } catch (TextFiles.MalformedTextException e) {
            throw new SafeTensorsFormatException(name + ": " + e.getMessage().replace(
                    "; save the file as UTF-8", " (counted from the header's start)"), e);
        }
        JsonNode root;
        try {
            root = HEADER_MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SafeTensorsFormatException(String.format(
                    "%s: the header is not valid JSON: %s", name, e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw error(name, "the header must be a JSON object but is %s",
                    root == null || root.isMissingNode() ? "empty" : root.getNodeType());
        }
        return root;
    }

    private static void readMetadata(JsonNode node, Map<String, String> metadata, String name)
            throws SafeTensorsFormatException {
        if (node.isNull()) {
            return; // the reference reads a null __metadata__ as absent
        }
        if (!node.isObject()) {
            throw error(name, "%s must be an object of strings but is %s", METADATA_KEY, node);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw error(name, "%s value for key '%s' must be a string but is %s",
                        METADATA_KEY, field.getKey(), field.getValue());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static Entry readEntry(String tensor, JsonNode node, long bufferBytes, String name)
            throws SafeTensorsFormatException {
        if (!node.isObject()) {
            throw error(name, "tensor '%s': expected an object with dtype, shape and "
                    + "data_offsets but found %s", tensor, node);
        }
        for (String key : TENSOR_KEYS) {
            if (!node.has(key)) {
                throw error(name, "tensor '%s': missing key '%s'", tensor, key);
            }
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!TENSOR_KEYS.contains(field.getKey())) {
                throw error(name, "tensor '%s': unknown key '%s' (known: dtype, shape, "
                        + "data_offsets)", tensor, field.getKey());
            }
        }

        JsonNode dtypeNode = node.get("dtype");
        DType dtype = DType.lookup(dtypeNode.isTextual() ? dtypeNode.textValue() : null);
        if (dtype == null) {
            throw error(name, "tensor '%s': unsupported dtype %s (supported: %s)",
                    tensor, dtypeNode, Arrays.toString(DType.values()));
        }

        JsonNode shapeNode = node.get("shape");
        if (!shapeNode.isArray()) {
            throw error(name, "tensor '%s': shape must be an array but is %s", tensor, shapeNode);
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i), name, tensor, "shape", shapeNode);
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw error(name, "tensor '%s': shape %s has more elements than a 64-bit count "
                        + "can hold", tensor, shapeNode);
            }
        }

        JsonNode offsetsNode = node.get("data_offsets");
        if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw error(name, "tensor '%s': data_offsets must be an array [begin, end] but is %s",
                    tensor, offsetsNode);
        }
        long begin = nonNegativeLong(offsetsNode.get(0), name, tensor, "data_offsets",
                offsetsNode);
        long end = nonNegativeLong(offsetsNode.get(1), name, tensor, "data_offsets", offsetsNode);
        if (begin > end) {
            throw error(name, "tensor '%s': data_offsets %s begin after their end",
                    tensor, offsetsNode);
        }
        if (end > bufferBytes) {
            throw error(name, "tensor '%s': data_offsets %s end past the end of the %s-byte data "
                    + "buffer (truncated file?)", tensor, offsetsNode, bufferBytes);
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(elements, dtype.byteSize());
        } catch (ArithmeticException e) {
            expectedBytes = -1; // cannot equal end - begin, reported just below
        }
        if (end - begin != expectedBytes) {
            throw error(name, "tensor '%s': data_offsets %s span %s bytes but %s of shape %s "
                    + "needs %s elements x %s bytes", tensor, offsetsNode, end - begin, dtype,
                    shapeNode, elements, dtype.byteSize());
        }
        if (expectedBytes > MAX_ARRAY_BYTES) {
            throw error(name, "tensor '%s' has %s bytes; tensors over %s bytes (2 GiB) are not "
                    + "supported", tensor, expectedBytes, MAX_ARRAY_BYTES);
        }
        return new Entry(tensor, dtype, shape, begin, end);
    }

    private static long nonNegativeLong(JsonNode value, String name, String tensor, String key,
            JsonNode whole) throws SafeTensorsFormatException {
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw error(name, "tensor '%s': %s %s has %s, which is not a non-negative 64-bit "
                    + "integer", tensor, key, whole, value);
        }
        return value.longValue();
    }

    /** The reference's rule: sorted by offset, the tensors cover the buffer with no gap. */
    private static void checkTiling(List<Entry> entries, long bufferBytes, String name)
            throws SafeTensorsFormatException {
        long covered = 0;
        String previous = null;
        for (Entry entry : entries) {
            if (entry.begin() < covered) {
                throw error(name, "tensor '%s' at [%s, %s] overlaps tensor '%s', which ends at %s",
                        entry.name(), entry.begin(), entry.end(), previous, covered);
            }
            if (entry.begin() > covered) {
                throw error(name, "bytes [%s, %s) of the data buffer belong to no tensor "
                        + "(a hole before tensor '%s')", covered, entry.begin(), entry.name());
            }
            covered = entry.end();
            previous = entry.name();
        }
        if (covered != bufferBytes) {
            throw error(name, "the tensors cover %s bytes but the data buffer has %s bytes "
                    + "(trailing bytes after the last tensor)", covered, bufferBytes);
        }
    }

    private static SafeTensorsFormatException error(String name, String template,
            Object... args) {
        return new SafeTensorsFormatException(name + ": " + String.format(template, args));
    }
}

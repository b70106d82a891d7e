package dev.align.core.io;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Element types of a safetensors file, with the codes the format uses in its header ("F32",
 * "BF16", ...). All are stored little-endian; {@link #BOOL} is one byte per element, 0 or 1.
 *
 * <p>Follows the {@code Dtype} enum of the reference implementation (huggingface/safetensors),
 * restricted to the types align reads and writes.
 */
public enum DType {
    /** IEEE 754 binary64. */
    F64("F64", 8, 8),
    /** IEEE 754 binary32. */
    F32("F32", 4, 7),
    /** IEEE 754 binary16 (half precision). */
    F16("F16", 2, 4),
    /** bfloat16: the upper 16 bits of a binary32. */
    BF16("BF16", 2, 5),
    /** Signed 64-bit integer. */
    I64("I64", 8, 9),
    /** Signed 32-bit integer. */
    I32("I32", 4, 6),
    /** Signed 16-bit integer. */
    I16("I16", 2, 3),
    /** Signed 8-bit integer. */
    I8("I8", 1, 2),
    /** Unsigned 8-bit integer. */
    U8("U8", 1, 1),
    /** Boolean, one byte per element. */
    BOOL("BOOL", 1, 0);

    private static final Map<String, DType> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(DType::code, Function.identity()));

    private final String code;
    private final int byteSize;
    private final int referenceRank;

    DType(String code, int byteSize, int referenceRank) {
        this.code = code;
        this.byteSize = byteSize;
        this.referenceRank = referenceRank;
    }

    /** Bytes per element: 8, 4, 2 or 1. */
    public int byteSize() {
        return byteSize;
    }

    /** The code the safetensors header uses for this type, such as {@code "F32"}. */
    public String code() {
        return code;
    }

    /**
     * The type a header code names.
     *
     * @param code a safetensors dtype code such as {@code "F32"}; case-sensitive, as the format
     * @throws IllegalArgumentException if the code is not one of the supported types
     */
    public static DType fromCode(String code) {
        DType type = lookup(code);
        if (type == null) {
            throw new IllegalArgumentException(String.format(
                    "unsupported safetensors dtype '%s'; supported: %s",
                    code, Arrays.toString(values())));
        }
        return type;
    }

    /** The type for {@code code}, or null: for the reader, which reports its own error. */
    static DType lookup(String code) {
        return code == null ? null : BY_CODE.get(code);
    }

    /**
     * Position in the reference implementation's {@code Dtype} declaration, which is in
     * increasing alignment. Its writer orders tensors by this rank, descending, then by name, so
     * every tensor starts at a multiple of its element size; ours does the same to produce
     * identical bytes.
     */
    int referenceRank() {
        return referenceRank;
    }
}

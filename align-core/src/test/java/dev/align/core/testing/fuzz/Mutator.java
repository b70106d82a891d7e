package dev.align.core.testing.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Byte-level mutations of valid inputs, as coverage-free fuzzers (radamsa, AFL's havoc stage) do
 * them: flip bits, set bytes and integers to boundary values, insert, delete, duplicate, truncate,
 * and splice in pieces of other valid inputs. All randomness comes from the {@link Random} given,
 * so an input is reproduced from its seed.
 */
public final class Mutator {

    /** Bytes that sit on boundaries of signed, unsigned and ASCII ranges. */
    private static final byte[] INTERESTING_BYTES = {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF, '0',
        '9', ' ', '"', '{', '}', '[', ']', ',', ':', '\\', '.', '-', '\n', (byte) 0xC3,
        (byte) 0xED};

    /** Integers that break size and offset arithmetic: zero, signs, powers of two, maxima. */
    public static final long[] INTERESTING_LONGS = {0, 1, -1, 2, 7, 8, 255, 256, 511, 512, 513,
        1023, 1024, 65535, 65536, Integer.MAX_VALUE - 8, Integer.MAX_VALUE,
        (long) Integer.MAX_VALUE + 1, 0xFFFFFFFFL, 1L << 32, 1L << 40, Long.MAX_VALUE / 2,
        Long.MAX_VALUE, Long.MIN_VALUE, -2, 100_000_000, 100_000_001};

    /** Texts that break number and string parsing when spliced into text formats. */
    private static final String[] INTERESTING_TEXTS = {"-1", "0", "1e400", "-1e400", "1e-400",
        "NaN", "Infinity", "9223372036854775808", "18446744073709551616", "2147483648",
        "99999999999999999999999999999999", "0.5", "null", "true", "\"\"", "[]", "{}", "\\u0000",
        "\\ud800", "\u00e9", "\uD83D\uDE00", "%s", "%n", "..", "/", "\\", "\u0000", "\t", "\r\n"};

    private final Random random;

    /** @param random the source of every choice */
    public Mutator(Random random) {
        this.random = random;
    }

    /** The random source. */
    public Random random() {
        return random;
    }

    /**
     * Applies one to about eight random mutations to a copy of {@code seed}.
     *
     * @param seed a valid input (unchanged)
     * @param corpus other valid inputs to splice from
     * @return the mutated bytes
     */
    public byte[] mutate(byte[] seed, List<byte[]> corpus) {
        byte[] b = seed.clone();
        int rounds = 1;
        while (rounds < 8 && random.nextBoolean()) {
            rounds++;
        }
        for (int i = 0; i < rounds; i++) {
            b = mutateOnce(b, corpus);
        }
        return b;
    }

    /** One random mutation. */
    public byte[] mutateOnce(byte[] b, List<byte[]> corpus) {
        switch (random.nextInt(12)) {
            case 0:
                return flipBit(b);
            case 1:
                return setByte(b);
            case 2:
                return setInteger(b);
            case 3:
                return insertRandom(b);
            case 4:
                return deleteRange(b);
            case 5:
                return duplicateRange(b);
            case 6:
                return truncate(b);
            case 7:
                return corpus.isEmpty() ? flipBit(b) : splice(b, corpus.get(random.nextInt(corpus.size())));
            case 8:
                return insertText(b);
            case 9:
                return overwriteDigits(b);
            case 10:
                return swapRanges(b);
            default:
                return appendRandom(b);
        }
    }

    private int index(byte[] b) {
        return b.length == 0 ? 0 : random.nextInt(b.length);
    }

    byte[] flipBit(byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        byte[] c = b.clone();
        int i = index(c);
        c[i] ^= (byte) (1 << random.nextInt(8));
        return c;
    }

    byte[] setByte(byte[] b) {
        if (b.length == 0) {
            return new byte[] {INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]};
        }
        byte[] c = b.clone();
        c[index(c)] = random.nextBoolean() ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]
                : (byte) random.nextInt(256);
        return c;
    }

    /** Overwrites 2, 4 or 8 bytes with a boundary integer, little- or big-endian. */
    byte[] setInteger(byte[] b) {
        int width = new int[] {2, 4, 8}[random.nextInt(3)];
        if (b.length < width) {
            return setByte(b);
        }
        byte[] c = b.clone();
        int at = random.nextInt(c.length - width + 1);
        long v = INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)];
        ByteBuffer buf = ByteBuffer.allocate(8).order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN
                : ByteOrder.BIG_ENDIAN).putLong(v);
        byte[] bytes = buf.array();
        int from = buf.order() == ByteOrder.LITTLE_ENDIAN ? 0 : 8 - width;
        System.arraycopy(bytes, from, c, at, width);
        return c;
    }

    byte[] insertRandom(byte[] b) {
        int n = 1 + random.nextInt(random.nextBoolean() ? 8 : 256);
        byte[] ins = new byte[n];
        random.nextBytes(ins);
        return insert(b, index(b), ins);
    }

    byte[] appendRandom(byte[] b) {
        byte[] ins = new byte[1 + random.nextInt(64)];
        random.nextBytes(ins);
        return insert(b, b.length, ins);
    }

    byte[] insertText(byte[] b) {
        byte[] t = INTERESTING_TEXTS[random.nextInt(INTERESTING_TEXTS.length)]
                .getBytes(StandardCharsets.UTF_8);
        return insert(b, index(b), t);
    }

    /** Replaces a run of ASCII digits (a number in a text format) with a boundary number. */
    byte[] overwriteDigits(byte[] b) {
        int start = index(b);
        int i = start;
        while (i < b.length && !(b[i] >= '0' && b[i] <= '9')) {
            i++;
        }
        if (i >= b.length) {
            return insertText(b);
        }
        int end = i;
        while (end < b.length && b[end] >= '0' && b[end] <= '9') {
            end++;
        }
        String number = random.nextBoolean()
                ? Long.toString(INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)])
                : INTERESTING_TEXTS[random.nextInt(INTERESTING_TEXTS.length)];
        byte[] n = number.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[b.length - (end - i) + n.length];
        System.arraycopy(b, 0, c, 0, i);
        System.arraycopy(n, 0, c, i, n.length);
        System.arraycopy(b, end, c, i + n.length, b.length - end);
        return c;
    }

    byte[] deleteRange(byte[] b) {
        if (b.length == 0) {
            return b;
        }
        int from = index(b);
        int n = 1 + random.nextInt(Math.min(b.length - from, random.nextBoolean() ? 16 : 4096));
        byte[] c = new byte[b.length - n];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(b, from + n, c, from, b.length - from - n);
        return c;
    }

    byte[] duplicateRange(byte[] b) {
        if (b.length == 0) {
            return b;
        }
        int from = index(b);
        int n = 1 + random.nextInt(Math.min(b.length - from, 2048));
        return insert(b, index(b), Arrays.copyOfRange(b, from, from + n));
    }

    byte[] truncate(byte[] b) {
        return b.length == 0 ? b : Arrays.copyOf(b, random.nextInt(b.length));
    }

    /** The head of {@code b} followed by the tail of {@code other}. */
    byte[] splice(byte[] b, byte[] other) {
        int cut = index(b);
        int from = index(other);
        byte[] c = new byte[cut + other.length - from];
        System.arraycopy(b, 0, c, 0, cut);
        System.arraycopy(other, from, c, cut, other.length - from);
        return c;
    }

    byte[] swapRanges(byte[] b) {
        if (b.length < 4) {
            return flipBit(b);
        }
        int n = 1 + random.nextInt(Math.min(64, b.length / 2));
        int i = random.nextInt(b.length - n + 1);
        int j = random.nextInt(b.length - n + 1);
        byte[] c = b.clone();
        System.arraycopy(b, i, c, j, n);
        System.arraycopy(b, j, c, i, n);
        return c;
    }

    private static byte[] insert(byte[] b, int at, byte[] ins) {
        byte[] c = new byte[b.length + ins.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(ins, 0, c, at, ins.length);
        System.arraycopy(b, at, c, at + ins.length, b.length - at);
        return c;
    }

    /** A boundary integer. */
    public long interestingLong() {
        return INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)];
    }

    /** A text that breaks parsers when spliced in. */
    public String interestingText() {
        return INTERESTING_TEXTS[random.nextInt(INTERESTING_TEXTS.length)];
    }
}

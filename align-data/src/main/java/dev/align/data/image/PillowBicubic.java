package dev.align.data.image;

/**
 * Pillow's bicubic resampling of 8-bit RGB images ({@code Image.resize(size, Image.BICUBIC)},
 * {@code libImaging/Resample.c}), reproduced operation for operation so the output bytes are
 * Pillow's: the cubic kernel with {@code a = -0.5}, widened by the scale factor when shrinking
 * (antialiasing, support {@code 2 * scale}), per-output-pixel weights computed in double,
 * normalised, then rounded to 22-bit fixed point; a horizontal pass into 8-bit rows (rounded and
 * clipped), then a vertical pass over them. A side that keeps its size is not resampled, as in
 * Pillow.
 *
 * <p>Unlike Pillow it computes only the output pixels a crop keeps ({@link #resizeCropped}):
 * each output pixel depends only on its own weights and source pixels, so the cropped pixels are
 * the same as those of a full resize followed by a crop.
 */
final class PillowBicubic {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    /** Per-thread buffers: an image's intermediate rows are megabytes, reused across calls. */
    private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[1][0]);

    private PillowBicubic() {}

    private static int[] scratch(int n) {
        int[][] holder = SCRATCH.get();
        if (holder[0].length < n) {
            holder[0] = new int[Math.max(n, holder[0].length * 5 / 4)];
        }
        return holder[0];
    }

    /** Weights of one axis: for output {@code i}, {@code size[i]} taps from source {@code min[i]}. */
    private record Coefficients(int[] min, int[] size, int[] weights, int taps) {}

    private static double filter(double x) {
        double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /**
     * Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for a source span
     * {@code [in0, in1)} of an axis of {@code inSize} samples resampled to {@code outSize}.
     */
    private static Coefficients coefficients(int inSize, double in0, double in1, int outSize) {
        double scale = (in1 - in0) / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] min = new int[outSize];
        int[] size = new int[outSize];
        int[] weights = new int[outSize * taps];
        double[] k = new double[taps];
        for (int xx = 0; xx < outSize; xx++) {
            double center = in0 + (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterScale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double w = filter((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? k[x] / ww : k[x];
                weights[xx * taps + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                        : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            min[xx] = xmin;
            size[xx] = xmax;
        }
        return new Coefficients(min, size, weights, taps);
    }

    private static int clip8(int v) {
        int s = v >> PRECISION_BITS;
        return s < 0 ? 0 : Math.min(s, 255);
    }

    /**
     * Resizes the region {@code (sx, sy, sw, sh)} of {@code src} to {@code outW x outH} as Pillow's
     * {@code img.crop(region).resize((outW, outH), BICUBIC)} would, and returns only the
     * {@code cw x ch} pixels at {@code (cx, cy)} of that result, as packed RGB bytes.
     */
    static byte[] resizeCropped(RgbImage src, int sx, int sy, int sw, int sh, int outW, int outH,
            int cx, int cy, int cw, int ch) {
        return resizeCropped(src, sx, sy, sw, sh, 0, sw, 0, sh, outW, outH, cx, cy, cw, ch);
    }

    /**
     * As {@link #resizeCropped(RgbImage, int, int, int, int, int, int, int, int, int, int)}, with
     * the span {@code [x0, x1) x [y0, y1)} of the region (relative to its corner, within
     * {@code [0, sw] x [0, sh]}) mapped onto the output, as Pillow's {@code resize(box=...)} of
     * the cropped region: filter windows still stop at the region's edges. Fractional spans serve
     * the reduced-JPEG path, where the region's edges fall between decoded pixels.
     */
    static byte[] resizeCropped(RgbImage src, int sx, int sy, int sw, int sh, double x0,
            double x1, double y0, double y1, int outW, int outH, int cx, int cy, int cw, int ch) {
        boolean horizontal = outW != sw || x0 != 0 || x1 != sw;
        boolean vertical = outH != sh || y0 != 0 || y1 != sh;
        byte[] out = new byte[3 * cw * ch];
        if (!horizontal && !vertical) {
            for (int y = 0; y < ch; y++) {
                System.arraycopy(src.rgb, 3 * ((sy + cy + y) * src.width + sx + cx), out, 3 * y * cw,
                        3 * cw);
            }
            return out;
        }
        Coefficients v = vertical ? coefficients(sh, y0, y1, outH) : null;
        // Source rows (relative to sy) that the kept output rows read.
        int rowFirst = vertical ? v.min()[cy] : cy;
        int rowEnd = vertical ? v.min()[cy + ch - 1] + v.size()[cy + ch - 1] : cy + ch;
        int rowLength = 3 * cw;
        // rowEnd - rowFirst rows of the kept columns after the horizontal pass, 8-bit values
        int[] rows = scratch(rowLength * (rowEnd - rowFirst) + rowLength);
        int accAt = rowLength * (rowEnd - rowFirst);      // the accumulator row lives after them
        if (horizontal) {
            Coefficients hc = coefficients(sw, x0, x1, outW);
            horizontalPass(src, sx, sy + rowFirst, rowEnd - rowFirst, hc, cx, cw, rows);
        } else {
            byte[] in = src.rgb;
            for (int y = rowFirst, o = 0; y < rowEnd; y++) {
                for (int i = 3 * ((sy + y) * src.width + sx + cx), e = i + rowLength; i < e; i++) {
                    rows[o++] = in[i] & 0xFF;
                }
            }
        }
        if (!vertical) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) rows[i];
            }
            return out;
        }
        // Integer sums are exact in any order, so each output row accumulates whole source rows
        // (a loop the JIT vectorises) instead of one pixel's taps at a time.
        int taps = v.taps();
        int[] kk = v.weights();
        int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < ch; yy++) {
            java.util.Arrays.fill(rows, accAt, accAt + rowLength, half);
            int k0 = (cy + yy) * taps;
            int ymin = v.min()[cy + yy] - rowFirst;
            for (int y = 0, n = v.size()[cy + yy]; y < n; y++) {
                int k = kk[k0 + y];
                int base = (ymin + y) * rowLength;
                for (int i = 0; i < rowLength; i++) {
                    rows[accAt + i] += rows[base + i] * k;
                }
            }
            int o = yy * rowLength;
            for (int i = 0; i < rowLength; i++) {
                out[o + i] = (byte) clip8(rows[accAt + i]);
            }
        }
        return out;
    }

    /** Pillow's horizontal pass for {@code count} source rows from {@code y0}, output columns {@code [cx, cx + cw)}. */
    private static void horizontalPass(RgbImage src, int sx, int y0, int count, Coefficients hc,
            int cx, int cw, int[] dst) {
        int taps = hc.taps();
        int[] kk = hc.weights();
        int[] min = hc.min();
        int[] size = hc.size();
        byte[] in = src.rgb;
        int half = 1 << (PRECISION_BITS - 1);
        int o = 0;
        for (int r = 0; r < count; r++) {
            int row = 3 * ((y0 + r) * src.width + sx);
            for (int xx = cx; xx < cx + cw; xx++) {
                int s0 = half;
                int s1 = half;
                int s2 = half;
                int k0 = xx * taps;
                int p = row + 3 * min[xx];
                for (int x = 0, n = size[xx]; x < n; x++, p += 3) {
                    int k = kk[k0 + x];
                    s0 += (in[p] & 0xFF) * k;
                    s1 += (in[p + 1] & 0xFF) * k;
                    s2 += (in[p + 2] & 0xFF) * k;
                }
                dst[o++] = clip8(s0);
                dst[o++] = clip8(s1);
                dst[o++] = clip8(s2);
            }
        }
    }
}

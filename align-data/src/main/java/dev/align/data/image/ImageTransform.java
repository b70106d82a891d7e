package dev.align.data.image;

import static dev.align.core.Checks.checkArgument;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * OpenCLIP's image preprocessing, from encoded bytes (or a decoded image) to normalised pixels
 * written straight into a batch array {@code [B, 3, S, S]} at a given offset.
 *
 * <p>Evaluation ({@link Crop#CENTER}), as OpenCLIP's {@code image_transform(is_train=False)}:
 * resize the shorter side to {@code S} with bicubic interpolation (the longer side becomes
 * {@code floor(S * long / short)}, as torchvision), then centre-crop {@code S x S} with the offset
 * {@code round((size - S) / 2)} rounded half to even, as torchvision's Python {@code round}.
 *
 * <p>Training ({@link Crop#RANDOM_RESIZED}), as OpenCLIP's {@code is_train=True}: torchvision's
 * {@code RandomResizedCrop(S, scale, ratio, BICUBIC)} (up to ten tries of a box with an area
 * fraction drawn from {@code scale} and a log-uniform aspect ratio from {@code ratio}, then a
 * ratio-clamped centre crop), seeded per sample so a sample always gets the same crop for the
 * same seed. OpenCLIP's defaults are {@code scale = (0.9, 1.0)}, {@code ratio = (3/4, 4/3)}.
 *
 * <p>Both end with torchvision's {@code ToTensor} and {@code Normalize(mean, std)}:
 * {@code (v / 255f - mean[c]) / std[c]} in float32, bit for bit, through a 256-entry table per
 * channel. The defaults are OpenAI CLIP's mean and std.
 *
 * <p>Resizing is Pillow's bicubic resampling, byte for byte ({@code Image.resize(size,
 * BICUBIC)}: the cubic kernel with {@code a = -0.5} widened by the scale factor when shrinking,
 * 22-bit fixed-point weights, a horizontal then a vertical pass through 8-bit rows), so the
 * normalised pixels equal those of OpenCLIP's PIL + torchvision transform for the same decoded
 * pixels (checked against Pillow by {@code bench/pil_preprocess.py}). Only the pixels the crop keeps
 * are computed. An image already of the target size is not resampled at all. Instances are
 * immutable and thread-safe.
 *
 * <p>{@link Mode#FAST} ({@link Builder#optMode}) trades that exactness for speed on large JPEGs:
 * they are decoded at 1/2, 1/4 or 1/8 in the DCT domain when the region the crop resamples keeps
 * at least the output size on both sides, then resampled with the same geometry (the crop box is
 * drawn on the full size, from the same seed). The default is {@link Mode#EXACT}.
 */
public final class ImageTransform {

    /** OpenAI CLIP's per-channel mean (R, G, B). */
    public static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** OpenAI CLIP's per-channel standard deviation (R, G, B). */
    public static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** How closely the output follows OpenCLIP's PIL + torchvision pixels. */
    public enum Mode {
        /**
         * Byte-identical to PIL + torchvision for the same decoded pixels: every image is decoded
         * at its full size, then resampled as Pillow does.
         */
        EXACT,
        /**
         * A JPEG whose crop region is at least {@code 2 S} ({@code 4 S}, {@code 8 S}) pixels on
         * both sides is decoded at scale 1/2 (1/4, 1/8) in the DCT domain (libjpeg's scaled
         * IDCT, what Pillow's {@code Image.draft} does), then resampled from there with the same
         * geometry as {@link #EXACT}. Decoding computes a quarter (a sixteenth, ...) of the
         * pixels and resampling reads as many. Not byte-identical: the measured difference is in
         * the project's benchmarks/README.md. PNGs, smaller JPEGs and JPEGs that only ImageIO
         * decodes are processed exactly.
         */
        FAST
    }

    /** Which crop produces the {@code S x S} square. */
    public enum Crop {
        /** Resize the shorter side to S, crop the centre (evaluation). */
        CENTER,
        /** Random area and aspect ratio, resized to S x S (training augmentation). */
        RANDOM_RESIZED
    }

    private final int imageSize;
    private final Crop crop;
    private final double scaleMin;
    private final double scaleMax;
    private final double ratioMin;
    private final double ratioMax;
    private final float[] mean;
    private final float[] std;
    private final float[][] table; // [3][256]: normalised value of each 8-bit level
    private final int backgroundRgb;
    private final ImageDecoder decoder;
    private final Mode mode;

    private ImageTransform(Builder b) {
        this.imageSize = b.imageSize;
        this.crop = b.crop;
        this.mode = b.mode;
        this.scaleMin = b.scaleMin;
        this.scaleMax = b.scaleMax;
        this.ratioMin = b.ratioMin;
        this.ratioMax = b.ratioMax;
        this.mean = b.mean.clone();
        this.std = b.std.clone();
        this.backgroundRgb = b.backgroundRgb;
        this.decoder = new ImageDecoder(b.maxPixels, b.backgroundRgb);
        this.table = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    /**
     * A builder for transforms to {@code imageSize x imageSize}, by default a centre crop with
     * OpenAI normalisation, a white background and Pillow's pixel limit.
     */
    public static Builder builder(int imageSize) {
        return new Builder(imageSize);
    }

    /** Side S of the output square. */
    public int imageSize() {
        return imageSize;
    }

    /** The crop this transform applies. */
    public Crop crop() {
        return crop;
    }

    /** Whether JPEGs may be decoded at a reduced scale ({@link Mode#FAST}). */
    public Mode mode() {
        return mode;
    }

    /** The decoder (pixel limit and background) this transform uses. */
    public ImageDecoder decoder() {
        return decoder;
    }

    /**
     * Decodes, crops, resizes and normalises one image into
     * {@code dst[offset .. offset + 3 S S)} as {@code [3, S, S]}.
     *
     * @param sampleSeed seeds the random crop (ignored for {@link Crop#CENTER})
     * @throws ImageDecodeException if the image is corrupt, unsupported or too large
     */
    public void apply(byte[] encoded, long sampleSeed, float[] dst, int offset)
            throws ImageDecodeException {
        checkOffset(dst, offset);
        RgbImage rgb = mode == Mode.EXACT ? decoder.decodeRgb(encoded)
                : decoder.decodeRgb(encoded, size -> jpegReduction(size, sampleSeed));
        apply(rgb, sampleSeed, dst, offset);
    }

    /**
     * The largest of 8, 4, 2 by which the region the crop resamples, for an image of this size,
     * can be divided and still be at least {@code S} (the output size it is resampled to) on
     * both sides; else 1.
     */
    int jpegReduction(ImageSize size, long sampleSeed) {
        int regionW;      // the region of the full image that is resampled ...
        int regionH;
        int outW;         // ... to this many pixels
        int outH;
        if (crop == Crop.CENTER) {
            int[] out = shorterSideSize(size.width(), size.height(), imageSize);
            regionW = size.width();
            regionH = size.height();
            outW = out[0];
            outH = out[1];
        } else {
            CropBox box = randomResizedCropBox(size.width(), size.height(), scaleMin, scaleMax,
                    ratioMin, ratioMax, new Random(sampleSeed));
            regionW = box.width();
            regionH = box.height();
            outW = imageSize;
            outH = imageSize;
        }
        for (int f = 8; f >= 2; f /= 2) {
            if ((long) f * outW <= regionW && (long) f * outH <= regionH) {
                return f;
            }
        }
        return 1;
    }

    /**
     * Crops, resizes and normalises a decoded image into {@code dst} at {@code offset} as
     * {@code [3, S, S]}. Images that are not {@link BufferedImage#TYPE_INT_RGB} are first made
     * opaque over this transform's background.
     *
     * @param sampleSeed seeds the random crop (ignored for {@link Crop#CENTER})
     */
    public void apply(BufferedImage image, long sampleSeed, float[] dst, int offset) {
        checkOffset(dst, offset);
        apply(RgbImage.of(image, backgroundRgb), sampleSeed, dst, offset);
    }

    private void checkOffset(float[] dst, int offset) {
        int s = imageSize;
        checkArgument(offset >= 0 && offset <= dst.length - 3 * s * s,
                "offset %s leaves no room for [3, %s, %s] in an array of %s", offset, s, s,
                dst.length);
    }

    private void apply(RgbImage rgb, long sampleSeed, float[] dst, int offset) {
        int s = imageSize;
        int w = rgb.width;
        int h = rgb.height;
        int f = rgb.reduction;
        byte[] square;
        if (crop == Crop.CENTER) {
            int[] size = shorterSideSize(rgb.fullWidth, rgb.fullHeight, s);
            CropBox box = centerCropBox(size[0], size[1], s);
            // reduced: the decoded image spans fullWidth / f of its ceil(fullWidth / f) columns
            square = PillowBicubic.resizeCropped(rgb, 0, 0, w, h, 0, (double) rgb.fullWidth / f,
                    0, (double) rgb.fullHeight / f, size[0], size[1], box.x(), box.y(), s, s);
        } else {
            CropBox box = randomResizedCropBox(rgb.fullWidth, rgb.fullHeight, scaleMin, scaleMax,
                    ratioMin, ratioMax, new Random(sampleSeed));
            if (f == 1) {
                square = PillowBicubic.resizeCropped(rgb, box.x(), box.y(), box.width(),
                        box.height(), s, s, 0, 0, s, s);
            } else {
                // the box in decoded pixels: whole pixels around it, the exact span inside
                int sx = box.x() / f;
                int sy = box.y() / f;
                int ex = Math.min(w, TurboJpegCodec.scaled(box.x() + box.width(), f));
                int ey = Math.min(h, TurboJpegCodec.scaled(box.y() + box.height(), f));
                square = PillowBicubic.resizeCropped(rgb, sx, sy, ex - sx, ey - sy,
                        (double) box.x() / f - sx, (double) (box.x() + box.width()) / f - sx,
                        (double) box.y() / f - sy, (double) (box.y() + box.height()) / f - sy,
                        s, s, 0, 0, s, s);
            }
        }
        int plane = s * s;
        float[] r = table[0];
        float[] g = table[1];
        float[] b = table[2];
        for (int i = 0; i < plane; i++) {
            dst[offset + i] = r[square[3 * i] & 0xFF];
            dst[offset + plane + i] = g[square[3 * i + 1] & 0xFF];
            dst[offset + 2 * plane + i] = b[square[3 * i + 2] & 0xFF];
        }
    }

    /**
     * Normalises the {@code S x S} square at {@code (x0, y0)} of an RGB image into {@code dst} at
     * {@code offset}, channel-major: {@code dst[offset + c S S + y S + x]}.
     */
    public void normalize(BufferedImage rgb, int x0, int y0, float[] dst, int offset) {
        int s = imageSize;
        checkArgument(x0 >= 0 && y0 >= 0 && x0 + s <= rgb.getWidth() && y0 + s <= rgb.getHeight(),
                "square %s at (%s, %s) does not fit a %sx%s image", s, x0, y0, rgb.getWidth(),
                rgb.getHeight());
        checkArgument(offset >= 0 && offset <= dst.length - 3 * s * s,
                "offset %s leaves no room for [3, %s, %s] in an array of %s", offset, s, s,
                dst.length);
        int[] px = rgb.getRGB(x0, y0, s, s, null, 0, s);
        int plane = s * s;
        float[] r = table[0];
        float[] g = table[1];
        float[] b = table[2];
        for (int i = 0; i < plane; i++) {
            int p = px[i];
            dst[offset + i] = r[(p >>> 16) & 0xFF];
            dst[offset + plane + i] = g[(p >>> 8) & 0xFF];
            dst[offset + 2 * plane + i] = b[p & 0xFF];
        }
    }

    /**
     * Resizes so the shorter side is {@code size} and the longer is
     * {@code floor(size * long / short)} (torchvision's {@code Resize(int)}).
     */
    public static BufferedImage resizeShorterSide(BufferedImage rgb, int size) {
        int[] wh = shorterSideSize(rgb.getWidth(), rgb.getHeight(), size);
        return resize(rgb, wh[0], wh[1]);
    }

    /** {@code [width, height]} with the shorter side {@code size}, as torchvision's {@code Resize(int)}. */
    private static int[] shorterSideSize(int w, int h, int size) {
        return w <= h ? new int[] {size, (int) ((long) size * h / w)}
                : new int[] {(int) ((long) size * w / h), size};
    }

    /**
     * The centre {@code size x size} box of a {@code width x height} image, offsets rounded half
     * to even as torchvision's {@code CenterCrop}.
     */
    public static CropBox centerCropBox(int width, int height, int size) {
        checkArgument(width >= size && height >= size,
                "cannot centre-crop %s x %s out of a %sx%s image", size, size, width, height);
        int x = (int) Math.rint((width - size) / 2.0);
        int y = (int) Math.rint((height - size) / 2.0);
        return new CropBox(x, y, size, size);
    }

    /**
     * torchvision's {@code RandomResizedCrop.get_params}: up to ten tries of an area fraction
     * uniform in {@code [scaleMin, scaleMax)} and an aspect ratio log-uniform in
     * {@code [ratioMin, ratioMax)}, sides rounded half to even; if none fits, the largest centred
     * box with its ratio clamped to the range.
     */
    public static CropBox randomResizedCropBox(int width, int height, double scaleMin,
            double scaleMax, double ratioMin, double ratioMax, Random rng) {
        double area = (double) width * height;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int y = rng.nextInt(height - h + 1);
                int x = rng.nextInt(width - w + 1);
                return new CropBox(x, y, w, h);
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < ratioMin) {
            w = width;
            h = Math.max(1, (int) Math.rint(w / ratioMin));
        } else if (inRatio > ratioMax) {
            h = height;
            w = Math.max(1, (int) Math.rint(h * ratioMax));
        } else {
            w = width;
            h = height;
        }
        return new CropBox((width - w) / 2, (height - h) / 2, w, h);
    }

    /**
     * Resizes an image to {@code width x height} with Pillow's bicubic resampling, byte for byte
     * (transparency composited onto white first); the pixels themselves when the size is already
     * right.
     */
    public static BufferedImage resize(BufferedImage rgb, int width, int height) {
        checkArgument(width > 0 && height > 0, "target size must be positive, got %sx%s",
                width, height);
        RgbImage src = RgbImage.of(rgb, ImageDecoder.WHITE);
        return new RgbImage(width, height, PillowBicubic.resizeCropped(src, 0, 0, src.width,
                src.height, width, height, 0, 0, width, height)).toBufferedImage();
    }

    /** Builds an {@link ImageTransform}; every setting is checked in {@link #build()}. */
    public static final class Builder {
        private final int imageSize;
        private Crop crop = Crop.CENTER;
        private double scaleMin = 0.9;
        private double scaleMax = 1.0;
        private double ratioMin = 3.0 / 4.0;
        private double ratioMax = 4.0 / 3.0;
        private float[] mean = OPENAI_MEAN;
        private float[] std = OPENAI_STD;
        private int backgroundRgb = ImageDecoder.WHITE;
        private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
        private Mode mode = Mode.EXACT;

        private Builder(int imageSize) {
            checkArgument(imageSize > 0, "imageSize must be > 0, got %s", imageSize);
            this.imageSize = imageSize;
        }

        /** Centre crop (evaluation, the default) or random resized crop (training). */
        public Builder optCrop(Crop crop) {
            checkArgument(crop != null, "crop is null");
            this.crop = crop;
            return this;
        }

        /** Area fraction range of the random resized crop; default {@code (0.9, 1.0)}. */
        public Builder optScale(double min, double max) {
            checkArgument(min > 0 && min <= max && max <= 1,
                    "scale range must satisfy 0 < min <= max <= 1, got (%s, %s)", min, max);
            this.scaleMin = min;
            this.scaleMax = max;
            return this;
        }

        /** Aspect ratio range of the random resized crop; default {@code (3/4, 4/3)}. */
        public Builder optRatio(double min, double max) {
            checkArgument(min > 0 && min <= max && Double.isFinite(max),
                    "ratio range must satisfy 0 < min <= max, got (%s, %s)", min, max);
            this.ratioMin = min;
            this.ratioMax = max;
            return this;
        }

        /** Per-channel mean and std (R, G, B); default OpenAI CLIP's. */
        public Builder optNormalization(float[] mean, float[] std) {
            checkArgument(mean != null && std != null && mean.length == 3 && std.length == 3,
                    "mean and std must have 3 values (R, G, B)");
            for (int c = 0; c < 3; c++) {
                checkArgument(std[c] > 0 && Float.isFinite(std[c]) && Float.isFinite(mean[c]),
                        "std must be finite and > 0 and mean finite, got mean %s std %s at %s",
                        mean[c], std[c], c);
            }
            this.mean = mean.clone();
            this.std = std.clone();
            return this;
        }

        /** Colour ({@code 0xRRGGBB}) under transparent pixels; default white. */
        public Builder optBackground(int rgb) {
            checkArgument((rgb & 0xFF000000) == 0, "background must be 0xRRGGBB, got 0x%s",
                    Integer.toHexString(rgb));
            this.backgroundRgb = rgb;
            return this;
        }

        /** Decompression-bomb limit in pixels; default 178,956,970 (Pillow's). */
        public Builder optMaxPixels(long maxPixels) {
            checkArgument(maxPixels > 0, "maxPixels must be > 0, got %s", maxPixels);
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * {@link Mode#EXACT} (default: PIL + torchvision's pixels) or {@link Mode#FAST} (large
         * JPEGs decoded at a reduced scale).
         */
        public Builder optMode(Mode mode) {
            checkArgument(mode != null, "mode is null");
            this.mode = mode;
            return this;
        }

        /** The transform. */
        public ImageTransform build() {
            return new ImageTransform(this);
        }
    }
}

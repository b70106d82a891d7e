package dev.align.models.config;

import static dev.align.core.Checks.checkArgument;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The ViT image tower, as OpenCLIP's {@code VisionTransformer}: a {@code patchSize} convolution
 * without bias cuts the {@code imageSize}² RGB image into {@code (imageSize/patchSize)²} tokens,
 * a class token and learned positions are added, then {@code layers} pre-LN blocks of
 * {@code width} channels and {@code heads} heads, {@code ln_post} and a projection of the class
 * token.
 *
 * @param imageSize side of the square input image in pixels
 * @param patchSize side of a square patch; must divide {@code imageSize}
 * @param width token width
 * @param layers number of residual attention blocks
 * @param heads attention heads; must divide {@code width}
 * @param mlpRatio MLP hidden width over {@code width} (4 in every CLIP)
 * @param activation MLP non-linearity
 * @param patchDropout fraction of patch tokens dropped at training time (FLIP); 0 disables it
 */
public record VisionConfig(
        int imageSize,
        int patchSize,
        int width,
        int layers,
        int heads,
        double mlpRatio,
        Activation activation,
        double patchDropout) {

    /** Checks every invariant, naming the offending value. */
    public VisionConfig {
        checkArgument(imageSize > 0, "vision.imageSize must be > 0, got %s", imageSize);
        checkArgument(patchSize > 0, "vision.patchSize must be > 0, got %s", patchSize);
        checkArgument(imageSize % patchSize == 0,
                "vision.patchSize %s must divide vision.imageSize %s", patchSize, imageSize);
        checkArgument(width > 0, "vision.width must be > 0, got %s", width);
        checkArgument(layers >= 0, "vision.layers must be >= 0, got %s", layers);
        checkArgument(heads > 0 && width % heads == 0,
                "vision.heads must be > 0 and divide vision.width %s, got %s", width, heads);
        checkArgument(mlpRatio > 0 && (int) (width * mlpRatio) > 0,
                "vision.mlpRatio must give a positive MLP width, got %s", mlpRatio);
        checkArgument(activation != null, "vision.activation must be GELU or QUICK_GELU, got null");
        checkArgument(patchDropout >= 0 && patchDropout < 1,
                "vision.patchDropout must be in [0, 1), got %s", patchDropout);
    }

    /** Patches per side, {@code imageSize / patchSize}. */
    @JsonIgnore
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Tokens per image including the class token. */
    @JsonIgnore
    public int tokens() {
        return gridSize() * gridSize() + 1;
    }

    /** MLP hidden width, {@code (int) (width * mlpRatio)} as OpenCLIP. */
    @JsonIgnore
    public int mlpWidth() {
        return (int) (width * mlpRatio);
    }

    /** A copy with another patch dropout rate. */
    public VisionConfig withPatchDropout(double rate) {
        return new VisionConfig(imageSize, patchSize, width, layers, heads, mlpRatio, activation, rate);
    }

    /** A copy with another activation. */
    public VisionConfig withActivation(Activation act) {
        return new VisionConfig(imageSize, patchSize, width, layers, heads, mlpRatio, act, patchDropout);
    }
}

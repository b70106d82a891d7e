package dev.align.benchmarks;

import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import dev.align.models.config.VisionConfig;

/**
 * Analytic matmul FLOPs of a CLIP step, the same model as the PyTorch peer
 * ({@code peer_clip_step.py}) so GFLOP/s and MFU compare like for like. A matmul of
 * {@code [m, k] x [k, n]} is {@code 2mnk} FLOPs; element-wise ops, softmax and norms count 0.
 *
 * <pre>
 * per block, S tokens, width d, MLP ratio r:  (8 + 4r) S d^2  +  4 S^2 d     (r = 4: 24 S d^2)
 * F_img   = F_patch + L_v (24 S_v d_v^2 + 4 S_v^2 d_v) + 2 d_v E,  F_patch = 2 (H/p)^2 (3 p^2) d_v
 * F_txt   = L_t (24 S_t d_t^2 + 4 S_t^2 d_t) + 2 d_t E                (dense causal scores)
 * F_loss  = 2 * 2 B^2 E
 * F_fwd   = B (F_img + F_txt) + F_loss
 * F_train = 3 F_fwd - B F_patch   (backward = 2x forward, but pixels need no gradient)
 * </pre>
 * For the {@code tiny} and {@code small} presets this gives 0.492 and 2.857 GFLOP per training
 * sample at batch 256, the peer's figures.
 */
public final class ClipFlops {

    private ClipFlops() {}

    /** FLOPs of one transformer block over {@code s} tokens of width {@code d}. */
    static double block(int s, int d, double mlpRatio) {
        return (8 + 4 * mlpRatio) * s * (double) d * d + 4.0 * s * s * d;
    }

    /** Patch embedding (a conv without bias) of one image. */
    public static double patch(VisionConfig v) {
        double grid = v.imageSize() / v.patchSize();
        return 2 * grid * grid * (3.0 * v.patchSize() * v.patchSize()) * v.width();
    }

    /** Forward FLOPs of the image tower for one image. */
    public static double image(VisionConfig v, int embedDim) {
        int s = v.tokens();
        return patch(v) + v.layers() * block(s, v.width(), v.mlpRatio()) + 2.0 * v.width() * embedDim;
    }

    /** Forward FLOPs of the text tower for one text (every position of the context computed). */
    public static double text(TextConfig t, int embedDim) {
        return t.layers() * block(t.contextLength(), t.width(), t.mlpRatio())
                + 2.0 * t.width() * embedDim;
    }

    /** Forward FLOPs of a batch of {@code b} pairs including the two {@code [B, B]} logit matrices. */
    public static double forward(ClipConfig c, int b) {
        return b * (image(c.vision(), c.embedDim()) + text(c.text(), c.embedDim()))
                + 2.0 * 2.0 * b * b * c.embedDim();
    }

    /** FLOPs of one training step (forward + backward) on a batch of {@code b} pairs. */
    public static double trainStep(ClipConfig c, int b) {
        return 3 * forward(c, b) - b * patch(c.vision());
    }

    /** Prints the model per preset: {@code java ... ClipFlops [preset] [batch]}. */
    public static void main(String[] args) {
        String[] presets = args.length > 0 ? new String[] {args[0]} : new String[] {"tiny", "small", "ViT-B-32"};
        int b = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        for (String p : presets) {
            ClipConfig c = ClipConfig.preset(p);
            System.out.printf("%-9s B=%d  train %.3f GFLOP/sample  image fwd %.4f  text fwd %.4f GFLOP%n", p, b,
                    trainStep(c, b) / b / 1e9, image(c.vision(), c.embedDim()) / 1e9,
                    text(c.text(), c.embedDim()) / 1e9);
        }
    }
}

package dev.align.models.config;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.json.Json;
import dev.align.core.json.JsonOptional;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A dual encoder: an image tower and a text tower projected into one {@code embedDim} space, with
 * a learnable temperature {@code logit_scale} (log space) and, for SigLIP, a learnable
 * {@code logit_bias}. JSON is the only external form ({@link #fromJson(Path)}, {@link #toJson()});
 * named presets carry OpenCLIP's exact dimensions ({@link #preset(String)}).
 *
 * @param schemaVersion version of this JSON schema; must be {@value #SCHEMA_VERSION}
 * @param embedDim width of the shared embedding space
 * @param initLogitScale initial {@code logit_scale}: ln(1/0.07) for CLIP, ln(10) for SigLIP
 * @param initLogitBias initial {@code logit_bias} (-10 for SigLIP), or {@code null} for a model
 *     without one
 * @param vision the image tower
 * @param text the text tower
 */
public record ClipConfig(
        int schemaVersion,
        int embedDim,
        double initLogitScale,
        @JsonOptional Double initLogitBias,
        VisionConfig vision,
        TextConfig text) {

    /** The schema version this code reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    /** ln(1/0.07), CLIP's initial temperature (scale 14.29). */
    public static final double CLIP_LOGIT_SCALE = Math.log(1 / 0.07);

    private static final Map<String, Supplier<ClipConfig>> PRESETS = Map.of(
            "ViT-B-32", () -> openClipVit(224, 32, 768, 12, 512, 512, 8, 12),
            "ViT-B-16", () -> openClipVit(224, 16, 768, 12, 512, 512, 8, 12),
            "ViT-L-14", () -> openClipVit(224, 14, 1024, 24, 768, 768, 12, 12),
            "tiny", ClipConfig::tiny,
            "small", ClipConfig::small,
            "test", ClipConfig::test);

    /** Checks every invariant, naming the offending value. */
    public ClipConfig {
        checkArgument(schemaVersion == SCHEMA_VERSION,
                "schemaVersion must be %s, got %s", SCHEMA_VERSION, schemaVersion);
        checkArgument(embedDim > 0, "embedDim must be > 0, got %s", embedDim);
        checkArgument(Double.isFinite(initLogitScale), "initLogitScale must be finite, got %s",
                initLogitScale);
        checkArgument(initLogitBias == null || Double.isFinite(initLogitBias),
                "initLogitBias must be finite or null, got %s", initLogitBias);
        checkArgument(vision != null, "vision must be given");
        checkArgument(text != null, "text must be given");
    }

    /** Whether the model has a learnable {@code logit_bias} (SigLIP). */
    public boolean hasLogitBias() {
        return initLogitBias != null;
    }

    /**
     * A named preset: {@code ViT-B-32}, {@code ViT-B-16}, {@code ViT-L-14} (OpenCLIP's
     * dimensions, GELU; append {@code -quickgelu} for OpenAI's activation), {@code tiny} and
     * {@code small} (the CPU-sized models of the peer benchmark) and {@code test} (a micro model
     * for unit tests).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ClipConfig preset(String name) {
        checkArgument(name != null, "preset name must be given; known: %s", presetNames());
        boolean quick = name.endsWith("-quickgelu");
        String base = quick ? name.substring(0, name.length() - "-quickgelu".length()) : name;
        Supplier<ClipConfig> preset = PRESETS.get(base);
        checkArgument(preset != null, "unknown preset '%s'; known: %s", name, presetNames());
        ClipConfig c = preset.get();
        return quick ? c.withActivation(Activation.QUICK_GELU) : c;
    }

    /** Names accepted by {@link #preset(String)} (each also with a {@code -quickgelu} suffix). */
    public static List<String> presetNames() {
        return List.of("ViT-B-32", "ViT-B-16", "ViT-L-14", "tiny", "small", "test");
    }

    /** 32x32 images, patch 4, width 128, 4+4 layers, 1.77M parameters (as the peer's tiny). */
    public static ClipConfig tiny() {
        return new ClipConfig(SCHEMA_VERSION, 128, CLIP_LOGIT_SCALE, null,
                new VisionConfig(32, 4, 128, 4, 4, 4.0, Activation.GELU, 0.0),
                new TextConfig(32, 1000, 128, 4, 4, 4.0, Activation.GELU, true, TextPool.ARGMAX, 0));
    }

    /** 64x64 images, patch 8, width 256, 6+6 layers, 11.7M parameters (as the peer's small). */
    public static ClipConfig small() {
        return new ClipConfig(SCHEMA_VERSION, 256, CLIP_LOGIT_SCALE, null,
                new VisionConfig(64, 8, 256, 6, 8, 4.0, Activation.GELU, 0.0),
                new TextConfig(32, 8000, 256, 6, 8, 4.0, Activation.GELU, true, TextPool.ARGMAX, 0));
    }

    /** A micro model for unit tests: 16x16 images, width 32, 2+2 layers. */
    public static ClipConfig test() {
        return new ClipConfig(SCHEMA_VERSION, 24, CLIP_LOGIT_SCALE, null,
                new VisionConfig(16, 4, 32, 2, 4, 4.0, Activation.GELU, 0.0),
                new TextConfig(8, 64, 32, 2, 4, 4.0, Activation.GELU, true, TextPool.ARGMAX, 0));
    }

    private static ClipConfig openClipVit(int imageSize, int patch, int visionWidth, int visionLayers,
            int embedDim, int textWidth, int textHeads, int textLayers) {
        // OpenCLIP's ViT uses 64-wide heads; its text tower is CLIP's BPE (49,408 ids, context 77).
        return new ClipConfig(SCHEMA_VERSION, embedDim, CLIP_LOGIT_SCALE, null,
                new VisionConfig(imageSize, patch, visionWidth, visionLayers, visionWidth / 64, 4.0,
                        Activation.GELU, 0.0),
                new TextConfig(77, 49408, textWidth, textLayers, textHeads, 4.0, Activation.GELU, true,
                        TextPool.ARGMAX, 0));
    }

    /** A copy with both towers using {@code act}. */
    public ClipConfig withActivation(Activation act) {
        return new ClipConfig(schemaVersion, embedDim, initLogitScale, initLogitBias,
                vision.withActivation(act), text.withActivation(act));
    }

    /** A copy set up for SigLIP's loss: {@code logit_scale} ln(10), {@code logit_bias} -10. */
    public ClipConfig withSigLipInit() {
        return new ClipConfig(schemaVersion, embedDim, Math.log(10), -10.0, vision, text);
    }

    /** A copy with another image tower. */
    public ClipConfig withVision(VisionConfig v) {
        return new ClipConfig(schemaVersion, embedDim, initLogitScale, initLogitBias, v, text);
    }

    /** A copy with another text tower. */
    public ClipConfig withText(TextConfig t) {
        return new ClipConfig(schemaVersion, embedDim, initLogitScale, initLogitBias, vision, t);
    }

    /** Reads a config from strict JSON (unknown keys rejected). */
    public static ClipConfig fromJson(Path file) throws IOException {
        return Json.read(file, ClipConfig.class);
    }

    /** Parses a config from strict JSON text. */
    public static ClipConfig fromJson(String json) {
        return Json.parse(json, ClipConfig.class, "model config");
    }

    /** This config as indented JSON. */
    public String toJson() {
        return Json.write(this);
    }

    /** Resolves {@code --preset NAME} or {@code --config FILE} (exactly one must be given). */
    public static ClipConfig resolve(String presetName, Path configFile) throws IOException {
        checkArgument((presetName == null) != (configFile == null),
                "give exactly one of a preset name (%s) or a config file (got preset %s, file %s)",
                presetNames(), presetName, configFile);
        return presetName != null ? preset(presetName) : fromJson(configFile);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClipConfig[embed %d, vision %s, text %s]", embedDim,
                vision, text);
    }
}

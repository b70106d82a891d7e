package dev.align.train.config;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.json.JsonOptional;
import dev.align.models.config.ClipConfig;

/**
 * The model to train: a preset name or an inline config (exactly one), with optional overrides.
 *
 * @param preset a {@link ClipConfig#preset(String)} name, or null
 * @param config an inline model config, or null
 * @param patchDropout overrides the image tower's FLIP patch dropout rate, or null
 */
public record ModelSpec(@JsonOptional String preset, @JsonOptional ClipConfig config,
        @JsonOptional Double patchDropout) {

    /** Checks that exactly one of preset and config is given. */
    public ModelSpec {
        checkArgument((preset == null) != (config == null),
                "model: give exactly one of 'preset' or 'config', got preset %s and config %s",
                preset, config == null ? null : "{...}");
        checkArgument(patchDropout == null || (patchDropout >= 0 && patchDropout < 1),
                "model.patchDropout must be in [0, 1), got %s", patchDropout);
        if (preset != null) {
            ClipConfig.preset(preset);                          // fail now on an unknown name
        }
    }

    /** The resolved model config, overrides applied. */
    public ClipConfig resolve() {
        ClipConfig c = preset != null ? ClipConfig.preset(preset) : config;
        return patchDropout == null ? c : c.withVision(c.vision().withPatchDropout(patchDropout));
    }
}

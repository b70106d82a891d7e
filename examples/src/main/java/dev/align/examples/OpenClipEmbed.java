package dev.align.examples;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align.data.text.Tokenizer;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.io.OpenClipWeights;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loads weights in OpenCLIP's layout from safetensors (what
 * {@code safetensors.torch.save_file(model.state_dict(), "w.safetensors")} writes, or a model
 * folder's {@code model.safetensors}) into a model of a named architecture, then embeds an image
 * and some texts and prints the text probabilities, as OpenCLIP's README does.
 *
 * <pre>
 * examples/run OpenClipEmbed vit-b-32.safetensors ViT-B-32 tokenizer.json cat.jpg "a cat" "a dog"
 * </pre>
 *
 * <p>The architecture is a preset name ({@code ViT-B-32}, {@code tiny}, ...) or a model config
 * JSON ({@code ./align model config} prints one); the tokenizer is the model's
 * {@code tokenizer.json} (CLIP's BPE or any HuggingFace tokenizer). Prints the embedding size and
 * one line per text: {@code "a cat": cosine 0.281, probability 93.1%}.
 */
public final class OpenClipEmbed {

    private OpenClipEmbed() {}

    /**
     * Runs the example.
     *
     * @param args weights, preset or config JSON, tokenizer.json, an image, then texts
     * @throws Exception if a file cannot be read, or the weights do not fit the architecture
     */
    public static void main(String[] args) throws Exception {
        ClipConfig config = args[1].endsWith(".json") ? ClipConfig.fromJson(Path.of(args[1]))
                : ClipConfig.preset(args[1]);
        Tokenizer tokenizer = Tokenizer.load(Path.of(args[2]), config.text().contextLength());
        List<String> texts = Arrays.asList(args).subList(4, args.length);
        try (NDManager manager = NDManager.newBaseManager();
             AutoCloseable ownsTokenizer = tokenizer instanceof AutoCloseable c ? c : () -> { }) {
            ClipModel model = ClipModel.create(config, manager, DataType.FLOAT32, 0);
            // OpenCLIP's state-dict keys and shapes; missing or extra keys fail, all listed
            OpenClipWeights.load(model, Path.of(args[0]));
            try (ClipEmbedder clip = ClipEmbedder.of(model, tokenizer, 16)) {
                float[] image = clip.encodeImage(Path.of(args[3]));        // [E], unit length
                float[][] encoded = clip.encodeTexts(texts);                // [N][E]
                double[] logits = new double[texts.size()];
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < logits.length; i++) {
                    logits[i] = clip.logitScale() * dot(image, encoded[i]);
                    max = Math.max(max, logits[i]);
                }
                double sum = 0;
                for (double l : logits) {
                    sum += Math.exp(l - max);
                }
                System.out.printf(Locale.ROOT, "embedding size %d, logit scale %.2f%n",
                        image.length, clip.logitScale());
                for (int i = 0; i < texts.size(); i++) {
                    System.out.printf(Locale.ROOT, "\"%s\": cosine %.3f, probability %.1f%%%n",
                            texts.get(i), dot(image, encoded[i]),
                            100 * Math.exp(logits[i] - max) / sum);
                }
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += a[k] * b[k];
        }
        return sum;
    }
}

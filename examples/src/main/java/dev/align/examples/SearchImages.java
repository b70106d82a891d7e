package dev.align.examples;

import dev.align.data.folder.ImageFolder;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.embed.EmbeddingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Text-to-image search over a folder: every image is embedded once, every query is encoded
 * through the model's own tokenizer, and images are ranked by cosine similarity.
 *
 * <pre>
 * examples/run SearchImages runs/demo/model photos/ "two small red circles" "a blue square"
 * </pre>
 *
 * <p>Prints each query and its three best images with their cosine similarities:
 * <pre>
 * query "a blue square":
 *   0.412  0017.png
 *   0.398  0003.png
 *   0.371  0120.png
 * </pre>
 */
public final class SearchImages {

    private SearchImages() {}

    /**
     * Runs the example.
     *
     * @param args the model folder, the image folder (searched recursively), then queries
     * @throws IOException if the model or the folder cannot be read
     */
    public static void main(String[] args) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(args[1]))) {
            files = walk.filter(f -> ImageFolder.isImageName(f.getFileName().toString()))
                    .sorted().toList();
        }
        List<String> queries = Arrays.asList(args).subList(2, args.length);
        try (ClipEmbedder clip = ClipEmbedder.open(Path.of(args[0]))) {
            EmbeddingResult embedded = clip.encodeImageFiles(files);    // unit vectors [N][E]
            List<Integer> readable = IntStream.range(0, files.size()).filter(embedded::ok)
                    .boxed().toList();
            float[][] texts = clip.encodeTexts(queries);                // unit vectors [Q][E]
            for (int q = 0; q < queries.size(); q++) {
                float[] text = texts[q];
                List<Integer> ranked = new ArrayList<>(readable);
                ranked.sort(Comparator.comparingDouble(
                        (Integer i) -> -dot(embedded.embeddings()[i], text)));
                System.out.printf("query \"%s\":%n", queries.get(q));
                for (int i : ranked.subList(0, Math.min(3, ranked.size()))) {
                    System.out.printf(Locale.ROOT, "  %.3f  %s%n",
                            dot(embedded.embeddings()[i], text),
                            Path.of(args[1]).relativize(files.get(i)));
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

package dev.align.examples;

import dev.align.data.folder.ImageFolder;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.retrieval.ImageSearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Text-to-image search over a folder: every image is embedded once, every query is encoded
 * through the model's own tokenizer, and {@link ImageSearch} ranks the images by cosine
 * similarity (unreadable files are left out). {@code ./align search} does the same, with a
 * contact sheet.
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
        Path folder = Path.of(args[1]);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(f -> ImageFolder.isImageName(f.getFileName().toString()))
                    .sorted().toList();
        }
        List<String> names = files.stream().map(f -> folder.relativize(f).toString()).toList();
        List<String> queries = Arrays.asList(args).subList(2, args.length);
        try (ClipEmbedder clip = ClipEmbedder.open(Path.of(args[0]))) {
            EmbeddingResult embedded = clip.encodeImageFiles(files);    // unit vectors [N][E]
            ImageSearch index = ImageSearch.of(names, embedded.embeddings());
            float[][] texts = clip.encodeTexts(queries);                // unit vectors [Q][E]
            for (int q = 0; q < queries.size(); q++) {
                System.out.printf("query \"%s\":%n", queries.get(q));
                for (ImageSearch.Hit hit : index.search(texts[q], 3)) {
                    System.out.printf(Locale.ROOT, "  %.3f  %s%n", hit.score(), hit.id());
                }
            }
        }
    }
}

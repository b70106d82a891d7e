package dev.align.examples;

import dev.align.data.folder.ImageFolder;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.zeroshot.Prediction;
import dev.align.eval.zeroshot.Templates;
import dev.align.eval.zeroshot.ZeroShotClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Classifies every image of a folder among class names given on the command line, zero-shot:
 * each class is the average embedding of prompts made from it ("a photo of a {}.", OpenCLIP's
 * simple templates), each image goes to the classes whose prompts it is closest to.
 *
 * <pre>
 * examples/run ZeroShotClassify runs/demo/model photos/ "red circle" "blue square" "green star"
 * </pre>
 *
 * <p>Prints one line per image, its three most likely classes with their probabilities:
 * {@code 0001.png: red circle 71.2%, red square 20.3%, blue circle 4.1%}.
 */
public final class ZeroShotClassify {

    private ZeroShotClassify() {}

    /**
     * Runs the example.
     *
     * @param args the model folder, the image folder, then two or more class names
     * @throws IOException if the model or the folder cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path modelDir = Path.of(args[0]);
        List<Path> images;
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            images = files.filter(f -> ImageFolder.isImageName(f.getFileName().toString()))
                    .sorted().toList();
        }
        List<String> classes = Arrays.asList(args).subList(2, args.length);
        try (ClipEmbedder clip = ClipEmbedder.open(modelDir)) {     // model + its tokenizer
            ZeroShotClassifier classifier = ZeroShotClassifier.build(clip, classes,
                    Templates.simple());
            EmbeddingResult embedded = clip.encodeImageFiles(images);   // bad files are listed
            for (int i = 0; i < images.size(); i++) {
                String name = images.get(i).getFileName().toString();
                if (!embedded.ok(i)) {
                    System.out.println(name + ": unreadable");
                    continue;
                }
                List<Prediction> top = classifier.topK(embedded.embeddings()[i],
                        Math.min(3, classes.size()));
                System.out.println(name + ": " + String.join(", ", top.stream()
                        .map(p -> String.format(Locale.ROOT, "%s %.1f%%", p.className(),
                                100 * p.probability())).toList()));
            }
        }
    }
}

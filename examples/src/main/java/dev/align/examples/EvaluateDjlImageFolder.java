package dev.align.examples;

import ai.djl.basicdataset.cv.classification.ImageFolder;
import dev.align.eval.djl.DjlImageFolders;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.zeroshot.Templates;
import dev.align.eval.zeroshot.ZeroShotReport;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Zero-shot accuracy of a model on a DJL basicdataset {@link ImageFolder} (one sub-folder per
 * class), scored as {@code ./align eval zero-shot} scores the same directory. align lists the
 * folder by its own rules, which differ from DJL's in places (class order for names with emoji,
 * images in sub-folders, empty classes): see {@link DjlImageFolders}.
 *
 * <pre>
 * examples/run EvaluateDjlImageFolder runs/demo/model data/syn/eval
 * </pre>
 *
 * <p>Prints {@code eval: 48 classes, 96 images, top-1 12.5%, top-5 40.6% (templates: simple, 7)}.
 */
public final class EvaluateDjlImageFolder {

    private EvaluateDjlImageFolder() {}

    /**
     * Runs the example.
     *
     * @param args the model folder, then the image folder
     * @throws Exception if the model or the folder cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        ImageFolder folder = ImageFolder.builder().setRepositoryPath(dir)
                .setSampling(32, false).build();                    // DJL requires a sampler
        String templates = Templates.forFolder(dir);     // the folder's templates.txt, or openai
        try (ClipEmbedder clip = ClipEmbedder.open(Path.of(args[0]))) {
            ZeroShotReport r = DjlImageFolders.zeroShot(dir.getFileName().toString(), folder,
                    clip, clip, Templates.named(templates));
            System.out.printf(Locale.ROOT, "%s: %d classes, %d images, top-1 %.1f%%, top-5 "
                            + "%.1f%% (templates: %s, %d)%n", r.dataset(), r.classes(),
                    r.images(), 100 * r.top1(), 100 * r.top5(), templates, r.templates());
        }
    }
}

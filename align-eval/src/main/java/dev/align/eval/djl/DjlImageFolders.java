package dev.align.eval.djl;

import static dev.align.core.Checks.checkArgument;

import ai.djl.basicdataset.cv.classification.AbstractImageFolder;
import ai.djl.repository.MRL;
import ai.djl.translate.TranslateException;
import dev.align.data.folder.ImageFolder;
import dev.align.eval.Progress;
import dev.align.eval.embed.ImageEncoder;
import dev.align.eval.embed.TextEncoder;
import dev.align.eval.zeroshot.ZeroShotClassifier;
import dev.align.eval.zeroshot.ZeroShotEvaluator;
import dev.align.eval.zeroshot.ZeroShotReport;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-shot evaluation of a DJL basicdataset
 * {@link ai.djl.basicdataset.cv.classification.ImageFolder} whose repository is a local
 * directory:
 *
 * <pre>{@code
 * ai.djl.basicdataset.cv.classification.ImageFolder pets = ImageFolder.builder()
 *         .setRepositoryPath(Path.of("pets/test")).setSampling(1, false).build();
 * try (ClipEmbedder clip = ClipEmbedder.open(Path.of("runs/demo/model"))) {
 *     ZeroShotReport r = DjlImageFolders.zeroShot("pets", pets, clip, clip, Templates.simple());
 * }
 * }</pre>
 *
 * <p>The folder is listed again by align's {@link ImageFolder} rules, so that a DJL folder scores
 * exactly as the same directory given to {@code ./align eval zero-shot}; images are decoded and
 * transformed by align (OpenCLIP's eval transform), not by the DJL dataset's pipeline. Where the
 * two listings differ:
 * <ul>
 *   <li>Class order: both sort the non-hidden sub-folders by name, DJL by UTF-16 code unit
 *       ({@code File.compareTo}), align by code point (Python's {@code sorted}, torchvision's
 *       order). They disagree only when names mix characters above U+FFFF (emoji) with
 *       characters in U+E000..U+FFFF (e.g. full-width letters); then the labels differ from
 *       {@code getSynset()}'s indices, and a warning says so.
 *   <li>Images: DJL takes the files directly inside each class folder (its default
 *       {@code optMaxDepth(1)}) in the file system's listing order, extensions jpg, jpeg, png,
 *       bmp, wbmp and gif; align takes them at any depth, sorted by code point, extensions
 *       {@link ImageFolder#IMAGE_EXTENSIONS}.
 *   <li>An empty class folder is a label with no images for DJL and an error for align (it
 *       cannot be evaluated). A {@code classnames.txt} gives align the readable names the
 *       prompts use; DJL's synset is the folder names.
 * </ul>
 */
public final class DjlImageFolders {

    private static final Logger LOG = LoggerFactory.getLogger(DjlImageFolders.class);

    private DjlImageFolders() {}

    /**
     * The local directory a DJL image folder reads.
     *
     * @throws IllegalArgumentException if its repository is not a local directory (download it
     *     first)
     */
    public static Path root(ai.djl.basicdataset.cv.classification.ImageFolder folder) {
        checkArgument(folder != null, "the DJL image folder is null");
        URI uri = repositoryUri(folder);
        checkArgument("file".equals(uri.getScheme()) && Files.isDirectory(Path.of(uri)),
                "the DJL image folder's repository %s is not a local directory: align evaluates "
                        + "local ImageFolders only (download and extract it, then "
                        + "setRepositoryPath(dir))", uri);
        return Path.of(uri);
    }

    /**
     * The directory of a DJL image folder listed by align's rules (see the class comment for
     * where they differ from DJL's).
     *
     * @throws IllegalArgumentException if the repository is not a local directory, or the
     *     directory is not a valid ImageFolder for align (an empty class folder, a malformed
     *     {@code classnames.txt})
     * @throws IOException if the directory cannot be listed
     */
    public static ImageFolder toAlign(ai.djl.basicdataset.cv.classification.ImageFolder folder)
            throws IOException {
        ImageFolder listed = ImageFolder.open(root(folder));
        List<String> synset;
        try {
            synset = folder.getSynset();
        } catch (TranslateException e) {
            throw new IOException("DJL could not prepare the image folder " + root(folder), e);
        }
        if (!synset.equals(listed.classFolders())) {
            LOG.warn("{}: DJL's class order {} differs from align's {} (align sorts by code "
                    + "point and drops no class); labels follow align's order",
                    listed.root(), abbreviate(synset), abbreviate(listed.classFolders()));
        }
        return listed;
    }

    /**
     * Zero-shot top-1 and top-5 of a DJL image folder, as {@link ZeroShotEvaluator} scores the
     * same directory: prompts from {@code templates}, averaged per class.
     *
     * @param dataset the name to report
     * @param folder a DJL image folder over a local directory
     * @param images embeds the images (a {@code ClipEmbedder})
     * @param texts embeds the prompts (the same {@code ClipEmbedder})
     * @param templates prompt templates, such as {@code Templates.simple()}
     * @throws IllegalArgumentException as {@link #toAlign}, or if no image could be read
     * @throws IOException if the directory cannot be listed
     */
    public static ZeroShotReport zeroShot(String dataset,
            ai.djl.basicdataset.cv.classification.ImageFolder folder, ImageEncoder images,
            TextEncoder texts, List<String> templates) throws IOException {
        ImageFolder listed = toAlign(folder);
        ZeroShotClassifier classifier = ZeroShotClassifier.build(texts, listed.classNames(),
                templates);
        return ZeroShotEvaluator.evaluate(dataset, listed, images, classifier, templates.size(),
                ZeroShotEvaluator.DEFAULT_CHUNK, Progress.NONE);
    }

    /** DJL 0.36 keeps the repository in a protected field and offers no getter. */
    private static URI repositoryUri(AbstractImageFolder folder) {
        try {
            Field field = AbstractImageFolder.class.getDeclaredField("mrl");
            field.setAccessible(true);
            return ((MRL) field.get(folder)).getRepository().getBaseUri();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the repository of a DJL image folder "
                    + "(this DJL version keeps it elsewhere): pass its directory to "
                    + "ImageFolder.open(dir) instead", e);
        }
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 6 ? names.toString()
                : names.subList(0, 6).toString().replace("]", ", ... (" + names.size() + ")]");
    }
}

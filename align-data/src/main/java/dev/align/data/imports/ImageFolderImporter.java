package dev.align.data.imports;

import static dev.align.core.Checks.checkArgument;

import dev.align.data.folder.ImageFolder;
import dev.align.data.image.ImageDecodeException;
import dev.align.data.image.ImageDecoder;
import dev.align.data.internal.Seeds;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Any ImageFolder directory (one sub-folder per class, see {@link ImageFolder}; an optional
 * {@code classnames.txt} gives readable names), captioned with templates such as "a photo of a
 * golden retriever." from the readable class name. The first {@code evalPerClass} images of each
 * class (in the folder's order) are held out as {@code eval/<class folder>/} for zero-shot
 * evaluation, with the caption templates as {@code eval/templates.txt} and the readable names
 * as {@code eval/classnames.txt}; the rest are written in a seeded random order (a random subset
 * of them with a limit), each {@code .json} keeping {@code file}, {@code label} and
 * {@code class}. Like Fashion-MNIST, this is classification in disguise rather than image-text
 * learning.
 */
public final class ImageFolderImporter implements Importer {

    /** The caption templates; {@code %s} is the readable class name. */
    public static final List<String> TEMPLATES = List.of("a photo of a %s.", "a picture of a %s.",
            "an image of a %s.", "a photo of the %s.", "a %s.");

    private final Path source;
    private final int evalPerClass;

    /**
     * @param source the ImageFolder root
     * @param evalPerClass images per class held out to {@code eval/}, {@code >= 0}
     */
    public ImageFolderImporter(Path source, int evalPerClass) {
        checkArgument(source != null, "an ImageFolder importer needs --source DIR (one "
                + "sub-folder per class)");
        checkArgument(evalPerClass >= 0, "eval images per class must be >= 0, got %s", evalPerClass);
        this.source = source;
        this.evalPerClass = evalPerClass;
    }

    @Override
    public String kind() {
        return "imagefolder";
    }

    @Override
    public ImportSummary run(ImportOptions options, ImportListener listener) throws IOException {
        ImageFolder folder = ImageFolder.open(source);
        List<ImageFolder.Image> train = new ArrayList<>();
        List<ImageFolder.Image> held = new ArrayList<>();
        int[] seen = new int[folder.classCount()];
        for (ImageFolder.Image image : folder.images()) {
            (seen[image.label()]++ < evalPerClass ? held : train).add(image);
        }
        shuffle(train, new SplittableRandom(options.seed()));   // a random subset under a limit
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, options.background());
        int maxSide = options.imageSizeOr(Integer.MAX_VALUE);
        try (ImportSink sink = new ImportSink(kind(), options, listener, train.size())) {
            for (int i = 0; i < train.size() && !sink.full(); i++) {
                ImageFolder.Image item = train.get(i);
                BufferedImage image = decode(decoder, item.path(), maxSide, sink);
                if (image == null) {
                    continue;
                }
                String name = folder.classNames().get(item.label());
                SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(), i));
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("file", source.relativize(item.path()).toString());
                meta.put("label", item.label());
                meta.put("class", name);
                sink.write(image, String.format(TEMPLATES.get(random.nextInt(TEMPLATES.size())),
                        name), meta);
            }
            for (ImageFolder.Image item : held) {
                BufferedImage image = decode(decoder, item.path(), maxSide, sink);
                if (image != null) {
                    String classFolder = folder.classFolders().get(item.label());
                    sink.writeEval(classFolder, image);
                    sink.evalClassName(classFolder, folder.classNames().get(item.label()));
                }
            }
            sink.evalTemplates(Sources.braces(TEMPLATES));
            return sink.finish();
        }
    }

    /** The decoded image scaled to {@code maxSide}, or {@code null} after counting the skip. */
    private static BufferedImage decode(ImageDecoder decoder, Path file, int maxSide, ImportSink sink)
            throws IOException {
        try {
            return Sources.fit(decoder.decode(Files.readAllBytes(file)), maxSide);
        } catch (ImageDecodeException e) {
            sink.skip(e.kind() == ImageDecodeException.Kind.TOO_LARGE ? "too_large"
                    : "corrupt_image", file.toString(), e.getMessage());
            return null;
        }
    }

    /** Fisher-Yates with a seeded generator. */
    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}

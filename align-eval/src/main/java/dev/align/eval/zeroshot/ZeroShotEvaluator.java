package dev.align.eval.zeroshot;

import static dev.align.core.Checks.checkArgument;

import dev.align.data.folder.ImageFolder;
import dev.align.eval.Progress;
import dev.align.eval.embed.EmbeddingFailure;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.embed.ImageEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Zero-shot evaluation on an {@link ImageFolder}, as OpenCLIP's {@code zero_shot_eval}: every
 * image is embedded, classified with a {@link ZeroShotClassifier} built from the folder's
 * readable class names, and scored top-1 and top-5 against its folder's label.
 */
public final class ZeroShotEvaluator {

    /** Images per call to the image encoder (and per progress report) unless set otherwise. */
    public static final int DEFAULT_CHUNK = 256;

    private ZeroShotEvaluator() {}

    /**
     * Evaluates a classifier on a folder.
     *
     * @param dataset the name to report
     * @param folder the images and labels; the classifier's classes must be the folder's, in
     *     label order
     * @param encoder embeds the images
     * @param classifier built from {@code folder.classNames()}
     * @param chunk images per encoder call
     * @param progress told after every chunk
     * @throws IllegalArgumentException if the classifier's classes differ from the folder's, or
     *     no image at all could be read
     */
    public static ZeroShotReport evaluate(String dataset, ImageFolder folder, ImageEncoder encoder,
            ZeroShotClassifier classifier, int templates, int chunk, Progress progress) {
        checkArgument(classifier.classNames().equals(folder.classNames()),
                "the classifier's classes %s are not the folder's %s", classifier.classNames(),
                folder.classNames());
        checkArgument(chunk >= 1, "chunk must be >= 1, got %s", chunk);
        List<ImageFolder.Image> images = folder.images();
        int n = images.size();
        int c = folder.classCount();
        int k5 = Math.min(5, c);
        int[] evaluated = new int[c];
        int[] correct = new int[c];
        int top5 = 0;
        List<EmbeddingFailure> failures = new ArrayList<>();
        progress.update(0, n);
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            List<Path> paths = images.subList(start, end).stream().map(ImageFolder.Image::path).toList();
            EmbeddingResult r = encoder.encodeImageFiles(paths);
            checkArgument(r.size() == paths.size(), "the encoder returned %s rows for %s images",
                    r.size(), paths.size());
            for (EmbeddingFailure f : r.failures()) {
                failures.add(new EmbeddingFailure(start + f.index(), f.input(), f.reason(),
                        f.message()));
            }
            for (int i = 0; i < paths.size(); i++) {
                if (!r.ok(i)) {
                    continue;
                }
                int label = images.get(start + i).label();
                double[] logits = classifier.logits(r.embeddings()[i]);
                int rank = ZeroShotClassifier.rankOf(logits, label);
                evaluated[label]++;
                if (rank == 0) {
                    correct[label]++;
                }
                if (rank < k5) {
                    top5++;
                }
            }
            progress.update(end, n);
        }
        int total = 0;
        int totalCorrect = 0;
        double sumPerClass = 0;
        int classesEvaluated = 0;
        int[] listed = folder.imagesPerClass();
        List<ClassAccuracy> perClass = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            total += evaluated[i];
            totalCorrect += correct[i];
            Double acc = evaluated[i] == 0 ? null : correct[i] / (double) evaluated[i];
            if (acc != null) {
                sumPerClass += acc;
                classesEvaluated++;
            }
            perClass.add(new ClassAccuracy(i, folder.classFolders().get(i), folder.classNames().get(i),
                    listed[i], evaluated[i], correct[i], acc));
        }
        Map<String, Long> byReason = new TreeMap<>();
        failures.forEach(f -> byReason.merge(f.reason(), 1L, Long::sum));
        checkArgument(total > 0, "%s: none of the %s images could be read (%s); first: %s",
                dataset, n, byReason, failures.isEmpty() ? "-" : failures.get(0).message());
        return new ZeroShotReport(dataset, c, templates, n, total, failures.size(), byReason,
                totalCorrect / (double) total, k5, top5 / (double) total,
                sumPerClass / classesEvaluated, List.copyOf(perClass), List.copyOf(failures));
    }
}

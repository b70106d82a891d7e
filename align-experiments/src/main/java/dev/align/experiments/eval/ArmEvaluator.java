package dev.align.experiments.eval;

import dev.align.core.Checks;
import dev.align.data.folder.ImageFolder;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.eval.Progress;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.embed.ImageEncoder;
import dev.align.eval.retrieval.RecallAtK;
import dev.align.eval.retrieval.RetrievalEvaluator;
import dev.align.eval.retrieval.RetrievalReport;
import dev.align.eval.zeroshot.ZeroShotClassifier;
import dev.align.eval.zeroshot.ZeroShotEvaluator;
import dev.align.eval.zeroshot.ZeroShotReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Evaluates a model folder the same way for every arm: zero-shot classification of an ImageFolder
 * with {@link ZeroShotEvaluator} (OpenCLIP's classifier), its accuracy also split into head and
 * tail classes from the very same image embeddings, and retrieval recall@1 and @5 both ways with
 * {@link RetrievalEvaluator}.
 */
public final class ArmEvaluator {

    private ArmEvaluator() {}

    /**
     * Evaluates a model.
     *
     * @param model the model folder (with its {@code tokenizer.json})
     * @param zeroShot the ImageFolder
     * @param headFolders class folders of head concepts
     * @param templates prompt templates
     * @param retrieval retrieval shards
     * @param batchSize images or texts per forward pass
     */
    public static EvalResult evaluate(Path model, Path zeroShot, Set<String> headFolders,
            List<String> templates, String retrieval, int batchSize) throws IOException {
        long t0 = System.nanoTime();
        ImageFolder folder = ImageFolder.open(zeroShot);
        try (ClipEmbedder clip = ClipEmbedder.builder(model).optBatchSize(batchSize).build()) {
            ZeroShotClassifier classifier = ZeroShotClassifier.build(clip, folder.classNames(),
                    templates);
            Recording images = new Recording(clip);
            ZeroShotReport report = ZeroShotEvaluator.evaluate("openmoji", folder, images,
                    classifier, templates.size(), ZeroShotEvaluator.DEFAULT_CHUNK, Progress.NONE);
            Checks.checkState(images.rows.size() == folder.size(), "recorded %s embeddings for "
                    + "%s images", images.rows.size(), folder.size());
            int k5 = Math.min(5, folder.classCount());
            int[][] counts = new int[3][3];          // [all, head, tail][images, top-1, top-5]
            for (int i = 0; i < folder.size(); i++) {
                float[] e = images.rows.get(i);
                if (e == null) {
                    continue;
                }
                int label = folder.images().get(i).label();
                int rank = ZeroShotClassifier.rankOf(classifier.logits(e), label);
                boolean head = headFolders.contains(folder.classFolders().get(label));
                for (int s : new int[] {0, head ? 1 : 2}) {
                    counts[s][0]++;
                    counts[s][1] += rank == 0 ? 1 : 0;
                    counts[s][2] += rank < k5 ? 1 : 0;
                }
            }
            ZeroShotSplit all = split(counts[0]);
            // The split's overall numbers are the evaluator's, from the same embeddings.
            Checks.checkState(Math.abs(all.top1() - report.top1()) < 1e-12
                    && Math.abs(all.top5() - report.top5()) < 1e-12, "zero-shot split %s "
                    + "disagrees with the evaluator's top-1 %s / top-5 %s", all, report.top1(),
                    report.top5());
            RetrievalReport r = RetrievalEvaluator.evaluate("openmoji",
                    ShardReaderOptions.of(retrieval), clip, clip, List.of(1, 5),
                    RetrievalEvaluator.DEFAULT_CHUNK, Progress.NONE);
            RecallAtK at1 = r.recalls().get(0);
            RecallAtK at5 = r.recalls().get(1);
            return new EvalResult(folder.classCount(), all, split(counts[1]), split(counts[2]),
                    at1.imageToText(), at5.imageToText(), at1.textToImage(), at5.textToImage(),
                    r.meanRecallAt1(), r.images(), report.skipped(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private static ZeroShotSplit split(int[] c) {
        return c[0] == 0 ? new ZeroShotSplit(0, null, null)
                : new ZeroShotSplit(c[0], c[1] / (double) c[0], c[2] / (double) c[0]);
    }

    /** An image encoder that keeps every row it returns, in call order. */
    private static final class Recording implements ImageEncoder {
        private final ImageEncoder inner;
        private final List<float[]> rows = new ArrayList<>();

        Recording(ImageEncoder inner) {
            this.inner = inner;
        }

        @Override
        public int embeddingDim() {
            return inner.embeddingDim();
        }

        @Override
        public EmbeddingResult encodeImageFiles(List<Path> files) {
            EmbeddingResult r = inner.encodeImageFiles(files);
            rows.addAll(java.util.Arrays.asList(r.embeddings()));
            return r;
        }

        @Override
        public EmbeddingResult encodeEncodedImages(List<byte[]> images) {
            EmbeddingResult r = inner.encodeEncodedImages(images);
            rows.addAll(java.util.Arrays.asList(r.embeddings()));
            return r;
        }
    }
}

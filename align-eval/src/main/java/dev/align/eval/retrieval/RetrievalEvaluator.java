package dev.align.eval.retrieval;

import static dev.align.core.Checks.checkArgument;

import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.eval.Progress;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.embed.ImageEncoder;
import dev.align.eval.embed.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Retrieval evaluation over WebDataset shards: each sample's image ({@code jpg}, {@code png},
 * {@code webp}) and its {@code txt} caption; a caption member with several non-blank lines gives
 * the image several captions (one per line, as CLIP_benchmark's retrieval shards store them).
 * Samples the shard reader rejects and images that fail to decode are skipped and counted.
 */
public final class RetrievalEvaluator {

    /** Samples per encoder call (and per progress report) unless set otherwise. */
    public static final int DEFAULT_CHUNK = 256;

    private RetrievalEvaluator() {}

    /**
     * Reads every sample of the shards in order (one epoch, no shuffling), embeds images and
     * captions, and computes recall at {@code ks}.
     *
     * @throws IllegalArgumentException if no sample is usable
     */
    public static RetrievalReport evaluate(String dataset, ShardReaderOptions shards,
            ImageEncoder imageEncoder, TextEncoder textEncoder, List<Integer> ks, int chunk,
            Progress progress) {
        return evaluate(dataset, shards, imageEncoder, textEncoder, ks, chunk, 0, progress);
    }

    /**
     * As {@link #evaluate(String, ShardReaderOptions, ImageEncoder, TextEncoder, List, int,
     * Progress)} over at most the first {@code maxSamples} samples of the stored order (all when
     * 0): a fixed, cheaper subset for evaluations repeated during training. Recall falls as the
     * pool grows, so compare numbers over the same cap only.
     *
     * @param maxSamples samples read at most, {@code >= 0} (0 = all)
     */
    public static RetrievalReport evaluate(String dataset, ShardReaderOptions shards,
            ImageEncoder imageEncoder, TextEncoder textEncoder, List<Integer> ks, int chunk,
            long maxSamples, Progress progress) {
        checkArgument(chunk >= 1, "chunk must be >= 1, got %s", chunk);
        checkArgument(maxSamples >= 0, "maxSamples must be >= 0 (0 = all), got %s", maxSamples);
        List<float[]> images = new ArrayList<>();
        List<float[]> texts = new ArrayList<>();
        List<Integer> textImage = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        long seen = 0;
        try (ShardReader reader = ShardReader.open(shards.inStoredOrder(), 0)) {
            List<Sample> batch = new ArrayList<>(chunk);
            while (true) {
                boolean more = (maxSamples == 0 || seen + batch.size() < maxSamples)
                        && reader.hasNext();
                if (more) {
                    batch.add(reader.next());
                }
                if (batch.size() == chunk || (!more && !batch.isEmpty())) {
                    embedChunk(batch, imageEncoder, textEncoder, images, texts, textImage, skipped);
                    seen += batch.size();
                    batch.clear();
                    progress.update(seen, -1);
                }
                if (!more) {
                    break;
                }
            }
            reader.skipped().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
        }
        long skippedTotal = skipped.values().stream().mapToLong(Long::longValue).sum();
        checkArgument(!images.isEmpty(), "%s: no usable image-caption sample in %s shard(s) "
                + "(skipped: %s)", dataset, shards.shards().size(), skipped);
        List<RecallAtK> recalls = Retrieval.recalls(images.toArray(float[][]::new),
                texts.toArray(float[][]::new), textImage.stream().mapToInt(Integer::intValue).toArray(),
                ks);
        double at1 = recalls.stream().filter(r -> r.k() == 1).mapToDouble(RecallAtK::mean)
                .findFirst().orElse(Double.NaN);
        return new RetrievalReport(dataset, images.size(), texts.size(), skippedTotal, skipped,
                recalls, at1);
    }

    private static void embedChunk(List<Sample> batch, ImageEncoder imageEncoder,
            TextEncoder textEncoder, List<float[]> images, List<float[]> texts,
            List<Integer> textImage, Map<String, Long> skipped) {
        EmbeddingResult r = imageEncoder.encodeEncodedImages(batch.stream().map(Sample::image).toList());
        r.failuresByReason().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!r.ok(i)) {
                continue;
            }
            List<String> lines = batch.get(i).caption().lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
            if (lines.isEmpty()) {
                skipped.merge("empty_caption", 1L, Long::sum);
                continue;
            }
            int image = images.size();
            images.add(r.embeddings()[i]);
            for (String line : lines) {
                captions.add(line);
                textImage.add(image);
            }
        }
        if (!captions.isEmpty()) {
            texts.addAll(List.of(textEncoder.encodeTexts(captions)));
        }
    }
}

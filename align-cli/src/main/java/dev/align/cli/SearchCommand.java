package dev.align.cli;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.data.folder.ImageFolder;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.eval.embed.ClipEmbedder;
import dev.align.eval.embed.EmbeddingResult;
import dev.align.eval.retrieval.ImageSearch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./align search}: text-to-image search with a trained model. Embeds every image of a
 * folder (recursively) or of WebDataset shards, embeds each query through the model's tokenizer,
 * and prints the best matches per query, with a contact sheet PNG (one row per query) and a JSON
 * file of the hits.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Text-to-image search: the images of a folder or of shards that best match "
                + "each text query, printed, drawn as a contact sheet and written as JSON.")
final class SearchCommand extends EvalCommand.Common implements Callable<Integer> {

    @Option(names = "--images", required = true, paramLabel = "DIR|SHARDS",
            description = "A folder of images (searched recursively; in an ImageFolder with a "
                    + "classnames.txt the matches are labelled with their class names) or "
                    + "WebDataset shards (brace patterns allowed; matches are labelled with "
                    + "their captions).")
    String images;

    @Option(names = "--query", required = true, paramLabel = "TEXT",
            description = "A text query; repeat for several.")
    List<String> queries;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K",
            description = "Matches per query (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--max-images", defaultValue = "0", paramLabel = "N",
            description = "Search only the first N images (0 = all; default: ${DEFAULT-VALUE}).")
    int maxImages;

    @Option(names = "--out", defaultValue = "search.png", paramLabel = "FILE",
            description = "Contact sheet PNG; the hits go to the same name with .json "
                    + "(default: ${DEFAULT-VALUE}).")
    Path out;

    /**
     * The JSON file of a search.
     *
     * @param images images searched (unreadable ones excluded)
     * @param skipped images that could not be read
     * @param results one entry per query
     */
    record SearchRun(int schemaVersion, String model, String source, int images, int skipped,
            List<QueryResult> results) {}

    /** A query's matches, best first. */
    record QueryResult(String query, List<Match> matches) {}

    /** One match: where the image is, what it is labelled, its score. */
    record Match(int rank, String image, String label, double score) {}

    /** An image to search: where it comes from and how to label it. */
    private record Candidate(String id, String label, byte[] bytes) {}

    @Override
    public Integer call() throws IOException {
        checkArgument(top >= 1, "--top must be >= 1, got %s", top);
        checkArgument(maxImages >= 0, "--max-images must be >= 0, got %s", maxImages);
        checkArgument(queries.stream().noneMatch(String::isBlank), "a --query is blank");
        List<Candidate> candidates = Files.isDirectory(Path.of(images)) ? fromFolder(Path.of(images))
                : fromShards(images);
        checkArgument(!candidates.isEmpty(), "no images in %s", images);
        List<QueryResult> results = new ArrayList<>();
        int skipped;
        try (ClipEmbedder clip = open()) {
            EmbeddingResult embedded = clip.encodeEncodedImages(
                    candidates.stream().map(Candidate::bytes).toList());
            skipped = embedded.failures().size();
            ImageSearch index = ImageSearch.of(candidates.stream().map(Candidate::id).toList(),
                    embedded.embeddings());
            float[][] q = clip.encodeTexts(queries);
            for (int i = 0; i < queries.size(); i++) {
                List<Match> matches = new ArrayList<>();
                for (ImageSearch.Hit h : index.search(q[i], top)) {
                    matches.add(new Match(matches.size() + 1, h.id(),
                            candidates.get(h.index()).label(), h.score()));
                }
                results.add(new QueryResult(queries.get(i), matches));
            }
        }
        for (QueryResult r : results) {
            System.out.println("query: " + r.query());
            for (Match m : r.matches()) {
                System.out.printf(Locale.ROOT, "  %d. %.3f  %s  (%s)%n", m.rank(), m.score(),
                        m.label(), m.image());
            }
        }
        ContactSheet.write(results.stream().map(r -> new ContactSheet.Row(r.query(),
                r.matches().stream().map(m -> new ContactSheet.Cell(
                        imageBytes(candidates, m.image()), String.format(Locale.ROOT, "%.2f %s",
                                m.score(), m.label()))).toList())).toList(), out);
        Path json = out.resolveSibling(out.getFileName().toString().replaceAll("\\.png$", "")
                + ".json");
        AtomicFiles.write(json, Json.write(new SearchRun(1, model.toString(), images,
                candidates.size() - skipped, skipped, results)).getBytes(StandardCharsets.UTF_8));
        System.out.println("contact sheet: " + out + ", hits: " + json);
        return 0;
    }

    private static byte[] imageBytes(List<Candidate> candidates, String id) {
        return candidates.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().bytes();
    }

    /** Every image below {@code root}, in code-point order of the relative path. */
    private List<Candidate> fromFolder(Path root) throws IOException {
        Map<String, String> classNames = Map.of();
        if (Files.isRegularFile(root.resolve(ImageFolder.CLASS_NAMES_FILE))) {
            ImageFolder f = ImageFolder.open(root);
            Map<String, String> names = new java.util.HashMap<>();
            for (int c = 0; c < f.classCount(); c++) {
                names.put(f.classFolders().get(c), f.classNames().get(c));
            }
            classNames = names;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> ImageFolder.isImageName(p.getFileName().toString()))
                    .sorted((a, b) -> ImageFolder.CODE_POINT_ORDER.compare(
                            root.relativize(a).toString(), root.relativize(b).toString()))
                    .toList();
        }
        List<Candidate> out = new ArrayList<>();
        for (Path p : files) {
            if (maxImages > 0 && out.size() >= maxImages) {
                break;
            }
            Path rel = root.relativize(p);
            String label = rel.getNameCount() > 1
                    ? classNames.getOrDefault(rel.getName(0).toString(), rel.getName(0).toString())
                    : rel.toString();
            out.add(new Candidate(rel.toString(), label, Files.readAllBytes(p)));
        }
        return out;
    }

    /** The samples of {@code pattern} in stored order, labelled with their captions. */
    private List<Candidate> fromShards(String pattern) {
        List<Candidate> out = new ArrayList<>();
        try (ShardReader reader = ShardReader.open(ShardReaderOptions.of(pattern).inStoredOrder(), 0)) {
            while (reader.hasNext() && (maxImages == 0 || out.size() < maxImages)) {
                Sample s = reader.next();
                out.add(new Candidate(s.key(), s.caption().replace('\n', ' '), s.image()));
            }
        }
        return out;
    }
}

package dev.align.experiments.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.data.folder.ImageFolder;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardWriter;
import dev.align.experiments.internal.SeedStreams;
import dev.align.experiments.pool.PoolFiles;
import dev.align.experiments.pool.SourceItems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The evaluation set: OpenMoji drawings, a style neither Google's nor Twitter's, of emoji the
 * pool has. It is built from an OpenMoji import ({@code ./align data import openmoji}): its
 * {@code eval/} ImageFolder (one class per emoji) for zero-shot, its shards (drawing and caption)
 * for retrieval. OpenMoji never enters the pool.
 *
 * <p>A class folder is mapped to a pool concept by its name when it is an emoji's code points
 * ({@code 1F600}, FE0F ignored), else by its readable name (the OpenMoji annotation) through the
 * import's shards. Classes that map to no pool concept are left out.
 */
public final class EvalSet {

    /** The ImageFolder inside an OpenMoji import. */
    public static final String IMPORT_EVAL = "eval";
    /** The prompt templates an OpenMoji import writes into its {@code eval/}. */
    public static final String IMPORT_TEMPLATES = "templates.txt";

    private static final long CHOOSE = 11;

    private EvalSet() {}

    /**
     * Every class of an OpenMoji import's {@code eval/} folder with the pool concept it shows
     * ({@code head} false).
     *
     * @throws IllegalArgumentException if the import has no {@code eval/} folder
     */
    public static List<EvalClass> openMojiClasses(Path importDir) throws IOException {
        Path eval = importDir.resolve(IMPORT_EVAL);
        Checks.checkArgument(Files.isDirectory(eval), "the OpenMoji import %s has no %s/ "
                + "ImageFolder (one class per emoji): this experiment evaluates on it; import "
                + "OpenMoji with an align whose 'data import openmoji' writes %s/", importDir,
                IMPORT_EVAL, IMPORT_EVAL);
        ImageFolder folder = ImageFolder.open(eval);
        Map<String, String> byAnnotation = new HashMap<>();
        Set<String> concepts = new HashSet<>();
        for (Sample s : samples(importDir)) {
            JsonNode meta = meta(s);
            String hexcode = meta.path("hexcode").asText("");
            if (!hexcode.isEmpty()) {
                String concept = SourceItems.emojiConcept(hexcode);
                concepts.add(concept);
                byAnnotation.putIfAbsent(meta.path("annotation").asText(""), concept);
            }
        }
        List<EvalClass> out = new ArrayList<>();
        for (int c = 0; c < folder.classCount(); c++) {
            String f = folder.classFolders().get(c);
            String name = folder.classNames().get(c);
            String byFolder = SourceItems.emojiConcept(f);
            String concept = concepts.contains(byFolder) ? byFolder : byAnnotation.get(name);
            out.add(new EvalClass(f, name, concept, false));
        }
        return out;
    }

    /**
     * Chooses the evaluation classes: those whose concept is in the pool, at most
     * {@code classes} of them (0 = all), half of them head concepts when there are enough (so
     * head and tail accuracy are both measured), the rest tail concepts, drawn with the seed.
     *
     * @return the chosen classes in folder order, {@code head} set
     * @throws IllegalArgumentException if fewer than two classes remain
     */
    public static List<EvalClass> choose(List<EvalClass> all, Set<String> poolConcepts,
            Set<String> headConcepts, int classes, long seed) {
        List<EvalClass> head = new ArrayList<>();
        List<EvalClass> tail = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (EvalClass c : all) {
            if (c.concept() != null && poolConcepts.contains(c.concept()) && seen.add(c.concept())) {
                boolean h = headConcepts.contains(c.concept());
                (h ? head : tail).add(new EvalClass(c.folder(), c.name(), c.concept(), h));
            }
        }
        int nHead = classes == 0 ? head.size() : Math.min(head.size(), classes / 2);
        int nTail = classes == 0 ? tail.size() : Math.min(tail.size(), classes - nHead);
        List<EvalClass> chosen = new ArrayList<>();
        chosen.addAll(draw(head, nHead, SeedStreams.random(seed, CHOOSE, 1)));
        chosen.addAll(draw(tail, nTail, SeedStreams.random(seed, CHOOSE, 2)));
        Checks.checkArgument(chosen.size() >= 2, "only %s OpenMoji class(es) show a concept of "
                + "the pool: widen the pool's emoji sources", chosen.size());
        chosen.sort((a, b) -> ImageFolder.CODE_POINT_ORDER.compare(a.folder(), b.folder()));
        return List.copyOf(chosen);
    }

    private static List<EvalClass> draw(List<EvalClass> from, int n, java.util.SplittableRandom r) {
        int[] p = SeedStreams.permutation(from.size(), r);
        List<EvalClass> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(from.get(p[i]));
        }
        return out;
    }

    /**
     * Writes the evaluation set into {@code out}: {@code zero-shot/} (the chosen class folders
     * copied, with their {@code classnames.txt} lines), {@code retrieval/shards/} (for each
     * chosen concept the import's first drawing and caption of it) and {@code templates.txt},
     * then {@code eval-set.json} last.
     */
    public static EvalSetSummary write(Path importDir, List<EvalClass> chosen,
            List<String> templates, Path out) throws IOException {
        Path source = importDir.resolve(IMPORT_EVAL);
        Path zeroShot = out.resolve("zero-shot");
        StringBuilder names = new StringBuilder();
        for (EvalClass c : chosen) {
            Path from = source.resolve(c.folder());
            Path to = zeroShot.resolve(c.folder());
            Files.createDirectories(to);
            try (var files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        Path target = to.resolve(from.relativize(f).toString());
                        Files.createDirectories(target.getParent());
                        Files.copy(f, target);
                    }
                }
            }
            names.append(c.folder()).append('\t').append(c.name()).append('\n');
        }
        AtomicFiles.write(zeroShot.resolve(ImageFolder.CLASS_NAMES_FILE),
                names.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("templates.txt"), (String.join("\n", templates) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        ImageFolder folder = ImageFolder.open(zeroShot);

        Map<String, EvalClass> byConcept = new LinkedHashMap<>();
        chosen.forEach(c -> byConcept.put(c.concept(), c));
        Map<String, Sample> first = new TreeMap<>();
        for (Sample s : samples(importDir)) {
            String hexcode = meta(s).path("hexcode").asText("");
            String concept = hexcode.isEmpty() ? null : SourceItems.emojiConcept(hexcode);
            if (concept != null && byConcept.containsKey(concept) && !first.containsKey(concept)) {
                first.put(concept, s);
            }
        }
        String retrieval;
        Path retrievalDir = out.resolve("retrieval");
        try (ShardWriter w = new ShardWriter(retrievalDir.resolve(PoolFiles.SHARDS), 10_000)) {
            for (Map.Entry<String, Sample> e : first.entrySet()) {
                Sample s = e.getValue();
                w.write(s.key(), s.imageExtension(), s.image(), s.caption(),
                        "{\"concept\":\"" + e.getKey() + "\"}");
            }
            w.close();
            Checks.checkArgument(!w.shards().isEmpty(), "no OpenMoji drawing in %s shows a chosen "
                    + "class", importDir);
            retrieval = PoolFiles.pattern(retrievalDir.resolve(PoolFiles.SHARDS), w.shards().size());
        }
        int nHead = (int) chosen.stream().filter(EvalClass::head).count();
        int c = chosen.size();
        EvalSetSummary summary = new EvalSetSummary(zeroShot.toString(), retrieval, templates,
                chosen, nHead, c - nHead, folder.size(), first.size(), 1.0 / c,
                Math.min(5, c) / (double) c);
        AtomicFiles.write(out.resolve("eval-set.json"), Json.write(summary)
                .getBytes(StandardCharsets.UTF_8));
        return summary;
    }

    private static List<Sample> samples(Path importDir) throws IOException {
        String shards = PoolFiles.importShards(importDir);
        List<Sample> out = new ArrayList<>();
        try (ShardReader r = ShardReader.open(ShardReaderOptions.of(shards), 0)) {
            while (r.hasNext()) {
                out.add(r.next());
            }
        }
        return out;
    }

    private static JsonNode meta(Sample s) throws IOException {
        byte[] json = s.members().get("json");
        return json == null ? Json.mapper().createObjectNode()
                : Json.mapper().readTree(new String(json, StandardCharsets.UTF_8));
    }
}

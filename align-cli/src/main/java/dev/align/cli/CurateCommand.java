package dev.align.cli;

import dev.align.core.Checks;
import dev.align.curation.metaclip.Metadata;
import dev.align.curation.pipeline.CurationConfig;
import dev.align.curation.pipeline.CurationPipeline;
import dev.align.curation.pipeline.StepSyntax;
import dev.align.data.shards.Sample;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./align curate}: ALIGN rules, MetaCLIP balancing and DFN filtering over shards. */
@Command(name = "curate", mixinStandardHelpOptions = true,
        description = "Curate a pool of WebDataset shards through a chain of steps; write the "
                + "kept pairs as shards, one decision per pair (decisions.jsonl), summary.json and, "
                + "with metaclip, entry-histogram.png.",
        subcommands = {CurateCommand.MetadataCommand.class},
        footer = {"",
            "Steps (--steps STEP[:KEY=VALUE[,KEY=VALUE...]][,STEP...], run in order, each on the "
                    + "pairs the earlier ones kept):",
            "  align-rules[:KEY=VALUE...]  ALIGN's filters. Keys (defaults as ALIGN): "
                    + "minShorterSide=200, maxAspectRatio=3, maxCaptionsPerImage=1000, "
                    + "maxImagesPerCaption=10, minWords=3, maxWords=20, rareTokenMode=ANY|ALL|OFF, "
                    + "rareTokenVocabulary=100000000 (top unigrams+bigrams), rareTokenMinCount=1; "
                    + "or config=FILE (JSON of those keys).",
            "  metaclip:metadata=FILE[,t=20000][,seed=0]  MetaCLIP matching and balancing "
                    + "(metadata: one entry per line, or MetaCLIP's metadata.json; build one with "
                    + "'curate metadata').",
            "  metaclip2:metadata=DIR[,t=20000][,seed=0]  MetaCLIP 2: each caption's language "
                    + "from its script, else the lang its .json records; matched against "
                    + "DIR/LANG.txt (Chinese, Japanese, Thai, ... segmented into words); each "
                    + "language balanced with the t that keeps the English tail share of t "
                    + "(languages.json reports them; build DIR with 'curate metadata "
                    + "--by-language').",
            "  dfn:model=DIR,top=FRACTION|threshold=SCORE[,batchSize=64]  DFN / CLIP-score filter: "
                    + "cosine of the model folder's embeddings (DIR must hold tokenizer.json).",
            "Example: --steps align-rules,metaclip:metadata=meta.txt,t=20000,dfn:model=runs/filter/model,top=0.15",
            "A filter network is trained with './align train' on a small high-quality set; copy the "
                    + "tokenizer.json it used into its model folder, then use it as dfn:model=DIR."})
final class CurateCommand implements Callable<Integer> {

    @Option(names = "--pool", paramLabel = "SHARDS",
            description = "The pool's shards, brace patterns allowed: pool/{00000..00099}.tar")
    String pool;

    @Option(names = "--steps", paramLabel = "STEPS", description = "The steps (see below).")
    String steps;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Steps as strict JSON instead of --steps: {\"schemaVersion\": 1, "
                    + "\"steps\": [{\"kind\": \"METACLIP\", \"metaclip\": {\"metadata\": \"m.txt\"}}], "
                    + "\"threads\": 2, \"samplesPerShard\": 10000}")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder; must not exist, be "
            + "empty, or hold an interrupted curation (killed, SIGTERM, disk full), which is "
            + "removed and started over. A curation is complete when summary.json is there and "
            + ".curate-incomplete is not.")
    Path out;

    @Option(names = "--threads", description = "Threads for reading and matching (default: all "
            + "cores; results do not depend on it).")
    Integer threads;

    @Option(names = "--samples-per-shard", description = "Samples per output shard (default 10000).")
    Integer samplesPerShard;

    @Override
    public Integer call() throws IOException {
        Checks.checkArgument(pool != null && out != null, "curate needs --pool SHARDS and --out DIR");
        Checks.checkArgument((steps == null) != (config == null), "give either --steps or --config");
        CurationConfig cfg = config != null ? CurationConfig.fromJson(config)
                : CurationConfig.of(StepSyntax.parse(steps));
        if (threads != null) {
            cfg = cfg.withThreads(threads);
        }
        if (samplesPerShard != null) {
            cfg = cfg.withSamplesPerShard(samplesPerShard);
        }
        new CurationPipeline(cfg, System.err).run(pool, out);
        return 0;
    }

    /** {@code ./align curate metadata}: a MetaCLIP metadata list from a vocabulary or a corpus. */
    @Command(name = "metadata", mixinStandardHelpOptions = true,
            description = "Write a MetaCLIP metadata list (one entry per line): the distinct entries "
                    + "of a vocabulary file, or the unigrams and bigrams of a caption corpus seen at "
                    + "least the given number of times (tokenised as the matcher sees captions).")
    static final class MetadataCommand implements Callable<Integer> {

        @Option(names = "--vocabulary", paramLabel = "FILE",
                description = "Entries, one per line (or a JSON array of strings).")
        Path vocabulary;

        @Option(names = "--captions", paramLabel = "SOURCE",
                description = "Captions: shards (a .tar brace pattern) or a text file, one caption per line.")
        String captions;

        @Option(names = "--min-unigram-count", defaultValue = "100",
                description = "Minimum occurrences of a word (default: ${DEFAULT-VALUE}).")
        long minUnigramCount;

        @Option(names = "--min-bigram-count", defaultValue = "100",
                description = "Minimum occurrences of a bigram (default: ${DEFAULT-VALUE}).")
        long minBigramCount;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "The metadata file (a folder with --by-language).")
        Path out;

        @Option(names = "--by-language", paramLabel = "en,de,ja",
                description = "With --captions shards: one list per language, OUT/LANG.txt, from "
                        + "the captions of that language (its script, else the lang of the "
                        + "sample's .json), scripts without spaces segmented into words; for the "
                        + "metaclip2 step.")
        String byLanguage;

        @Override
        public Integer call() throws IOException {
            Checks.checkArgument((vocabulary == null) != (captions == null),
                    "give either --vocabulary FILE or --captions SOURCE");
            if (byLanguage != null) {
                Checks.checkArgument(captions != null && captions.endsWith(".tar"),
                        "--by-language needs --captions SHARDS (their .json records the lang)");
                List<String> texts = new ArrayList<>();
                List<String> langs = new ArrayList<>();
                try (ShardReader r = ShardReader.open(ShardReaderOptions.of(captions), 0)) {
                    while (r.hasNext()) {
                        Sample s = r.next();
                        texts.add(s.caption());
                        langs.add(dev.align.curation.worldwide.WorldwideCuration
                                .recordedLanguage(s.members().get("json")));
                    }
                }
                var lists = dev.align.curation.worldwide.WorldwideMetadata.fromCaptions(texts,
                        langs, new java.util.TreeSet<>(EvalCommand.parseLanguages(byLanguage)),
                        minUnigramCount, minBigramCount);
                dev.align.curation.worldwide.WorldwideMetadata.write(lists, out);
                lists.forEach((lang, entries) -> System.err.printf(Locale.ROOT,
                        "curate metadata: %s: %d entries%n", lang, entries.size()));
                System.err.println("curate metadata: lists written to " + out);
                return 0;
            }
            List<String> entries = vocabulary != null ? Metadata.fromVocabulary(Metadata.read(vocabulary))
                    : Metadata.fromCaptions(readCaptions(captions), minUnigramCount, minBigramCount);
            Metadata.write(entries, out);
            System.err.printf(Locale.ROOT, "curate metadata: %d entries written to %s%n",
                    entries.size(), out);
            return 0;
        }

        private static List<String> readCaptions(String source) throws IOException {
            if (!source.endsWith(".tar")) {
                return Files.readAllLines(Path.of(source), StandardCharsets.UTF_8);
            }
            List<String> out = new ArrayList<>();
            try (ShardReader r = ShardReader.open(ShardReaderOptions.of(source), 0)) {
                while (r.hasNext()) {
                    Sample s = r.next();
                    out.add(s.caption());
                }
            }
            return out;
        }
    }
}

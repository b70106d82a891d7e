package dev.align.cli;

import dev.align.core.Checks;
import dev.align.core.json.Json;
import dev.align.core.progress.ProgressLine;
import dev.align.data.imports.EmojiImporter;
import dev.align.data.imports.EmojiLabels;
import dev.align.data.imports.FashionMnistImporter;
import dev.align.data.imports.ImageFolderImporter;
import dev.align.data.imports.ImportOptions;
import dev.align.data.imports.ImportSummary;
import dev.align.data.imports.Importer;
import dev.align.data.imports.MdiImporter;
import dev.align.data.imports.OpenClipartImporter;
import dev.align.data.imports.OpenMojiImporter;
import dev.align.data.imports.SyntheticImporter;
import dev.align.data.shards.ShardInspector;
import dev.align.data.shards.ShardReader;
import dev.align.data.shards.ShardReaderOptions;
import dev.align.data.shards.ShardSummary;
import dev.align.data.text.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./align data}: the data pipeline's commands. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Import data sets into WebDataset shards; inspect shards.",
        subcommands = {DataCommand.Import.class, DataCommand.Inspect.class,
            DataCommand.TokenizerCmd.class})
final class DataCommand {

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Print a JSON summary of WebDataset shards: samples, members per "
                    + "extension, caption length histogram (words), skipped samples by reason, "
                    + "and how alike neighbouring samples are in the stored order (order: "
                    + ".json fields whose values neighbours share, caption word overlap, each "
                    + "against a random order).",
                "Warns on stderr when consecutive samples are strongly correlated (shards "
                        + "written grouped by category): a shuffle buffer shorter than those "
                        + "runs fills every batch with near-duplicates."})
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "SHARDS",
                description = "Shard files, brace patterns allowed: data/{00000..00099}.tar")
        String shards;

        @Override
        public Integer call() {
            ShardSummary summary = ShardInspector.inspect(shards);
            System.out.println(Json.write(summary));
            for (String warning : summary.order().warnings()) {
                System.err.println("warning: " + warning);
            }
            return 0;
        }
    }

    @Command(name = "tokenizer", mixinStandardHelpOptions = true,
            description = {"Train a CLIP-style byte-level BPE tokenizer on the captions of one or "
                    + "more shard sets, so that a run can train on several imports at once "
                    + "(name them joined by '::' in its data.shards) with one vocabulary.",
                "Every line of every caption counts once per sample, in stored order; the "
                        + "result is deterministic."})
    static final class TokenizerCmd implements Callable<Integer> {
        @Option(names = "--shards", required = true, paramLabel = "SHARDS",
                description = "Shards, brace patterns allowed; repeat for several sets.")
        List<String> shards;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "The tokenizer.json to write (atomically).")
        Path out;

        @Option(names = "--vocab-size", defaultValue = "1000", paramLabel = "N",
                description = "Ids, >= 514 and at most the model's text vocabulary (tiny 1000, "
                        + "small 8000). Default: ${DEFAULT-VALUE}.")
        int vocabSize;

        @Option(names = "--context-length", defaultValue = "32", paramLabel = "T",
                description = "Tokens per caption, at most the model's context length. "
                        + "Default: ${DEFAULT-VALUE}.")
        int contextLength;

        @Option(names = "--multilingual",
                description = "Keep combining marks (the vowel signs of Devanagari, Thai, ...) "
                        + "inside words instead of cutting words at them as CLIP's pattern does.")
        boolean multilingual;

        @Override
        public Integer call() throws IOException {
            List<String> captions = new ArrayList<>();
            for (String pattern : shards) {
                try (ShardReader reader = ShardReader.open(
                        ShardReaderOptions.of(pattern).inStoredOrder(), 0)) {
                    while (reader.hasNext()) {
                        for (String line : reader.next().caption().split("\n")) {
                            if (!line.isBlank()) {
                                captions.add(line);
                            }
                        }
                    }
                }
            }
            Checks.checkArgument(!captions.isEmpty(), "no captions in %s", shards);
            BpeTokenizer.train(captions, vocabSize, contextLength, multilingual
                    ? BpeTokenizer.Words.MULTILINGUAL : BpeTokenizer.Words.CLIP).save(out);
            System.out.printf(Locale.ROOT, "tokenizer: %s (%d ids, context %d) from %d captions%n",
                    out, vocabSize, contextLength, captions.size());
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Turn a data set into WebDataset shards a training config can name.",
                "KIND is one of:",
                "  synthetic      procedural coloured shapes with compositional captions "
                        + "(no download; also writes eval/)",
                "  emoji          Google and Twitter emoji, CLDR labels and tags as captions "
                        + "(also writes eval/, one class per label, and labels.txt)",
                "  openmoji       OpenMoji SVGs (another drawing style), rendered in Java "
                        + "(also writes eval/, one class per annotation, and labels.txt)",
                "  openclipart    Openclipart drawings with their noisy titles and keywords",
                "  fashion-mnist  Fashion-MNIST with templated captions (also writes eval/)",
                "  mdi            Material Design Icons, names, aliases and tags as captions",
                "  imagefolder    any folder with one sub-folder per class (--source DIR), "
                        + "captioned \"a photo of a {class}.\" and the like (--eval-per-class N "
                        + "holds N per class out into eval/)",
                "Real sets are fetched on first use by tools/fetch/fetch KIND into "
                        + "$ALIGN_CACHE/KIND (default ~/.cache/align/KIND).",
                "OUT gets 00000.tar, 00001.tar, ... (KEY.png + KEY.txt + KEY.json; samples in "
                        + "a random order fixed by --seed, each .json keeping the sample's "
                        + "source identity), sizes.json, stats.json, tokenizer.json (BPE trained "
                        + "on the captions), import.json (the summary, also printed as JSON) "
                        + "and, for sets with classes, eval/<class>/*.png (an ImageFolder for "
                        + "zero-shot evaluation, with classnames.txt and the templates.txt that "
                        + "suits the set) and labels.txt (the set's class names, for "
                        + "./align eval zero-shot --classes). Progress goes to stderr."})
    static final class Import implements Callable<Integer> {
        /** Every KIND the command imports (the help lists each; DataCommandTest checks). */
        static final List<String> KINDS = List.of("synthetic", "emoji", "openmoji",
                "openclipart", "fashion-mnist", "mdi", "imagefolder");

        @Parameters(paramLabel = "KIND",
                description = "synthetic, emoji, openmoji, openclipart, fashion-mnist, mdi "
                        + "or imagefolder (any folder with one sub-folder per class: --source DIR).")
        String kind;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder (created; must not already hold shards).")
        Path out;

        @Option(names = "--count", paramLabel = "N", defaultValue = "0",
                description = "Samples to write: synthetic default 10000; the real sets "
                        + "default to all they have (0 = all).")
        long count;

        @Option(names = "--image-size", paramLabel = "PX", defaultValue = "0",
                description = "Longer side of the written images: synthetic, openmoji and mdi "
                        + "draw at this size (default 64), openclipart scales down to it (default "
                        + "256), emoji and fashion-mnist keep their 64 and 28 px unless this is "
                        + "smaller.")
        int imageSize;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
                description = "Seed of every random choice (sample order, scenes, caption "
                        + "wording); the same seed gives byte-identical shards. "
                        + "Default ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--shard-size", paramLabel = "N", defaultValue = "1000",
                description = "Samples per shard. Default ${DEFAULT-VALUE}.")
        int shardSize;

        @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "1000",
                description = "Ids of the BPE tokenizer trained on the captions (>= 514; at "
                        + "most the model's text vocabulary: tiny 1000, small 8000). "
                        + "Default ${DEFAULT-VALUE}.")
        int vocabSize;

        @Option(names = "--context-length", paramLabel = "T", defaultValue = "32",
                description = "Tokens per caption the tokenizer encodes to (at most the model's "
                        + "context length: 32 for tiny and small). Default ${DEFAULT-VALUE}.")
        int contextLength;

        @Option(names = "--eval-per-class", paramLabel = "N", defaultValue = "-1",
                description = "Images per class in eval/ (synthetic: default 20 for each of 48 "
                        + "colour-shape classes; fashion-mnist: default 100 test images per "
                        + "class; emoji and openmoji: default all, each drawing of the label "
                        + "(these are the training images: a same-style check, or a style "
                        + "shift for a model trained on another set); imagefolder: default 0, "
                        + "else the first N of each class are held out of the shards; 0 = no "
                        + "eval/).")
        int evalPerClass;

        @Option(names = "--styles", paramLabel = "google,twitter", defaultValue = "google,twitter",
                description = "emoji only: whose drawings, each emoji once per style: any of "
                        + "google, twitter, apple, facebook (Apple's and Facebook's art is not "
                        + "free to redistribute; fetched into the cache by tools/fetch/fetch "
                        + "emoji-styles, never shipped). Default ${DEFAULT-VALUE}.")
        String styles;

        @Option(names = "--languages", paramLabel = "en,de,ja",
                description = "emoji: caption every drawing once per language (CLDR labels and "
                        + "tags of emojibase-data, 28 languages; each sample's .json records "
                        + "its lang); openmoji: also name the eval/ classes in each language "
                        + "(eval/classnames.LANG.txt). Fetched by tools/fetch/fetch "
                        + "emoji-languages. Give --vocab-size for the mixture (and a model "
                        + "whose text.vocabSize fits it).")
        String languages;

        @Option(names = "--background", paramLabel = "RRGGBB", defaultValue = "FFFFFF",
                description = "Colour under transparent pixels (hex). Default ${DEFAULT-VALUE}.")
        String background;

        @Option(names = "--source", paramLabel = "DIR",
                description = "Read the set from DIR (the layout tools/fetch/fetch KIND leaves) "
                        + "instead of the download cache.")
        Path source;

        @Option(names = "--no-fetch",
                description = "Fail instead of running tools/fetch/fetch when the cache is "
                        + "empty.")
        boolean noFetch;

        @Override
        public Integer call() throws IOException {
            String k = kind.toLowerCase(Locale.ROOT);
            // KINDS is the one list of kinds: the help is checked against it, and a case below
            // that is missing from it cannot be reached.
            Checks.checkArgument(KINDS.contains(k), "unknown KIND '%s': use one of %s", kind,
                    String.join(", ", KINDS));
            ImportOptions options = new ImportOptions(out, seed, shardSize, count, imageSize,
                    vocabSize, contextLength, parseRgb(background));
            Importer importer = switch (k) {
                case "synthetic" -> new SyntheticImporter(evalPerClass < 0
                        ? SyntheticImporter.DEFAULT_EVAL_PER_CLASS : evalPerClass);
                case "emoji" -> new EmojiImporter(emojiSource(EmojiImporter.Style.parseList(
                        styles)), EmojiImporter.Style.parseList(styles),
                        evalPerClass < 0 ? Integer.MAX_VALUE : evalPerClass,
                        languages == null ? null : EmojiLabels.parseLanguages(languages));
                case "openmoji" -> new OpenMojiImporter(source(k),
                        evalPerClass < 0 ? Integer.MAX_VALUE : evalPerClass,
                        languages == null ? null : languageSource().resolve("emojibase-data"),
                        languages == null ? null : EmojiLabels.parseLanguages(languages));
                case "openclipart" -> new OpenClipartImporter(source(k));
                case "mdi" -> new MdiImporter(source(k));
                case "fashion-mnist" -> new FashionMnistImporter(source(k), evalPerClass < 0
                        ? FashionMnistImporter.DEFAULT_EVAL_PER_CLASS : evalPerClass);
                case "imagefolder" -> new ImageFolderImporter(source,
                        Math.max(0, evalPerClass));
                default -> throw new IllegalStateException("KINDS lists '" + k
                        + "' but no importer is wired to it");
            };
            ImportSummary summary;
            try (ProgressLine line = ProgressLine.on(System.err, k)) {
                summary = importer.run(options, (written, skipped, total) -> line.update(
                        written + skipped, total, written + " written, " + skipped + " skipped"));
            }
            System.out.println(Json.write(summary));
            return 0;
        }

        private Path source(String k) throws IOException {
            return source != null ? source : DataCache.ensure(k, !noFetch);
        }

        /**
         * The emoji cache with the other styles and languages asked for (--source: that
         * folder).
         */
        private Path emojiSource(List<EmojiImporter.Style> chosen) throws IOException {
            Path folder = languages == null ? source("emoji") : languageSource();
            if (source == null && chosen.stream()
                    .anyMatch(EmojiImporter.Style::fetchedSeparately)) {
                DataCache.ensure(DataCache.EMOJI_STYLES, !noFetch);
            }
            return folder;
        }

        /** The emoji cache with its other languages (--source for emoji: that folder). */
        private Path languageSource() throws IOException {
            if (source != null && kind.equalsIgnoreCase("emoji")) {
                return source;
            }
            DataCache.ensure("emoji", !noFetch);
            return DataCache.ensure("emoji-languages", !noFetch);
        }

        private static int parseRgb(String hex) {
            String h = hex.startsWith("#") ? hex.substring(1) : hex;
            if (!h.matches("[0-9A-Fa-f]{6}")) {
                throw new IllegalArgumentException("--background must be six hex digits RRGGBB, "
                        + "got " + hex);
            }
            return Integer.parseInt(h, 16);
        }
    }
}

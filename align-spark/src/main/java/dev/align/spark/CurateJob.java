package dev.align.spark;

import dev.align.core.io.FileErrors;
import dev.align.curation.pipeline.MetaClip2StepConfig;
import dev.align.curation.worldwide.WorldwideMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point for {@code spark-submit}: curation jobs over a pool too large for one machine.
 * Errors that are the user's print one line and exit with 2; I/O failures exit with 1; stack
 * traces only with {@code ALIGN_DEBUG=1}.
 *
 * <pre>
 * spark-submit --class dev.align.spark.CurateJob align-spark-VERSION-all.jar \
 *     metaclip --shards 'pool/{00000..00999}.tar' --metadata entries.txt --threshold 20000 \
 *     --seed 0 --out curated/ --write-shards
 * spark-submit --class dev.align.spark.CurateJob align-spark-VERSION-all.jar \
 *     metaclip2 --shards 'pool/{00000..00999}.tar' --metadata metadata/ --threshold 20000 \
 *     --out curated2/
 * </pre>
 */
@Command(name = "curate-job", mixinStandardHelpOptions = true, version = "align 0.1.0-SNAPSHOT",
        description = "Curation of image-text pools on Apache Spark (same kept set as the local run).",
        subcommands = {CurateJob.MetaClip.class, CurateJob.MetaClip2.class, CurateJob.Dfn.class,
            CommandLine.HelpCommand.class})
public final class CurateJob {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new CurateJob());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (System.getenv("ALIGN_DEBUG") != null) {
                e.printStackTrace();
            }
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            commandLine.getErr().println("curate-job: " + FileErrors.describe(cause));
            return cause instanceof IllegalArgumentException ? 2
                    : cause instanceof IOException ? 1 : 3;
        });
        return cli.execute(args);
    }

    /** Options every job shares. */
    static final class Common {
        @Option(names = "--out", required = true,
                description = "Output directory (a path or a URI Spark can write; must not exist).")
        String out;

        @Option(names = "--master", description = "Spark master, e.g. local[2]; by default the "
                + "one spark-submit sets.")
        String master;

        SparkSession session(String name) {
            SparkSession.Builder builder = SparkSession.builder().appName(name);
            if (master != null) {
                builder.master(master);
            }
            return builder.getOrCreate();
        }
    }

    /** Where the pool comes from: exactly one of the two. */
    static final class PoolOptions {
        @Option(names = "--parquet", required = true,
                description = "Parquet table with string columns key and caption.")
        String parquet;

        @Option(names = "--shards", required = true,
                description = "WebDataset shards, brace ranges allowed: 'pool/{00000..00099}.tar'.")
        String shards;
    }

    /** What MetaCLIP's and MetaCLIP 2's balancing share: the coins' seed, the pool's reading. */
    static final class Balancing {
        @Option(names = "--seed", defaultValue = "0", description = "Seed of the coins "
                + "(default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--partitions", defaultValue = "0", description = "Partitions for a "
                + "parquet pool (columns key, caption and, for metaclip2, optionally lang); 0 "
                + "keeps the reader's split (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--write-shards", description = "Also write the kept samples as shards "
                + "(shard pools; OUT must be a local or mounted directory).")
        boolean writeShards;

        PoolSpec spec(PoolOptions pool) {
            return pool.parquet != null ? PoolSpec.parquet(pool.parquet, partitions)
                    : PoolSpec.shards(pool.shards);
        }
    }

    /** {@code metaclip}: match, count, balance. */
    @Command(name = "metaclip", mixinStandardHelpOptions = true,
            description = "MetaCLIP curation: substring matching against a metadata list, entry "
                    + "counts over the whole pool, balancing with p[e] = t / max(count[e], t) and "
                    + "hash coins of (seed, pair id, entry id). Writes OUT/decisions (parquet), "
                    + "OUT/summary.json and, with --write-shards, OUT/shards.")
    static final class MetaClip implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @ArgGroup(exclusive = true, multiplicity = "1")
        PoolOptions pool;

        @Option(names = "--metadata", required = true,
                description = "Metadata entries, one per line (UTF-8), or MetaCLIP's metadata.json; "
                        + "entry id = position in the list.")
        Path metadata;

        @Option(names = "--threshold", required = true,
                description = "MetaCLIP's t (20000 for its 400M set).")
        long threshold;

        @CommandLine.Mixin
        Balancing balancing = new Balancing();

        @Override
        public Integer call() throws IOException {
            List<String> entries = MetaClipJob.readMetadata(metadata);
            PoolSpec spec = balancing.spec(pool);
            SparkSession spark = common.session("align metaclip");
            try {
                MetaClipSummary s = MetaClipJob.run(spark, spec, entries, threshold,
                        balancing.seed, common.out, balancing.writeShards);
                System.err.printf("metaclip: kept %,d of %,d pairs (%,d matched nothing, %,d "
                        + "skipped) in %.1f s; decisions in %s/decisions%n", s.kept(), s.pairs(),
                        s.noMatch(), s.skipped().values().stream().mapToLong(Long::longValue)
                                .sum(), s.seconds(), common.out);
            } finally {
                spark.stop();
            }
            return 0;
        }
    }

    /** {@code metaclip2}: identify each caption's language, match per language, balance. */
    @Command(name = "metaclip2", mixinStandardHelpOptions = true,
            description = "MetaCLIP 2 curation, as the local metaclip2 step: each caption's "
                    + "language from its script (else the recorded lang), matching against that "
                    + "language's metadata, counts per language, and balancing with a threshold "
                    + "per language that keeps the English tail share. Writes OUT/decisions "
                    + "(parquet), OUT/languages.json, OUT/summary.json and, with --write-shards, "
                    + "OUT/shards.")
    static final class MetaClip2 implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @ArgGroup(exclusive = true, multiplicity = "1")
        PoolOptions pool;

        @Option(names = "--metadata", required = true,
                description = "Folder of per-language metadata lists (en.txt, de.txt, ja.txt or "
                        + "LANG.json), read on the driver; './align curate metadata "
                        + "--by-language' writes one.")
        Path metadata;

        @Option(names = "--threshold", required = true,
                description = "The English t (20000 for MetaCLIP's 400M set); every other "
                        + "language's t keeps the English tail share.")
        long threshold;

        @CommandLine.Mixin
        Balancing balancing = new Balancing();

        @Override
        public Integer call() throws IOException {
            // The local step's settings, so that the same values are refused with the same words.
            MetaClip2StepConfig settings = new MetaClip2StepConfig(metadata.toString(), threshold,
                    balancing.seed);
            Map<String, List<String>> lists = WorldwideMetadata.read(Path.of(settings.metadata()));
            PoolSpec spec = balancing.spec(pool);
            SparkSession spark = common.session("align metaclip2");
            try {
                MetaClip2Summary s = MetaClip2Job.run(spark, spec, lists, settings.t(),
                        settings.seed(), common.out, balancing.writeShards);
                System.err.printf(Locale.ROOT, "metaclip2: kept %,d of %,d pairs (%,d matched "
                        + "nothing, %,d skipped) in %.1f s; English t=%d keeps tail share "
                        + "p=%.4f; t per language %s; decisions in %s/decisions%n", s.kept(), s.pairs(),
                        s.noMatch(), s.skipped().values().stream().mapToLong(Long::longValue)
                                .sum(), s.seconds(), s.englishThreshold(), s.tailShare(),
                        s.thresholds(), common.out);
            } finally {
                spark.stop();
            }
            return 0;
        }
    }

    /** The DFN selection rule: exactly one of the two. */
    static final class Rule {
        @Option(names = "--top-fraction", required = true,
                description = "Keep this share of the scored pairs, best first (DFN: 0.15).")
        Double topFraction;

        @Option(names = "--threshold", required = true,
                description = "Keep pairs whose cosine similarity is at least this.")
        Double threshold;
    }

    /** {@code dfn}: score with a filter network, keep the best. */
    @Command(name = "dfn", mixinStandardHelpOptions = true,
            description = "DFN / CLIP-score filtering: score every pair of a shard pool by the "
                    + "image-text cosine similarity of a model folder's dual encoder, keep the top "
                    + "fraction or the pairs above a threshold. Writes OUT/decisions (parquet), "
                    + "OUT/summary.json and, with --write-shards, OUT/shards.")
    static final class Dfn implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--shards", required = true,
                description = "WebDataset shards, brace ranges allowed: 'pool/{00000..00099}.tar'.")
        String shards;

        @Option(names = "--model", required = true, description = "Model folder (model.json, "
                + "model.safetensors, tokenizer.json) at a path every executor can read, e.g. "
                + "shipped with spark-submit --archives model.zip#model and given as 'model'.")
        String model;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Rule rule;

        @Option(names = "--batch-size", defaultValue = "64", description = "Rows per forward "
                + "pass; the same as the local run's to reproduce its scores exactly "
                + "(default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--write-shards", description = "Also write the kept samples as shards "
                + "(OUT must be a local or mounted directory).")
        boolean writeShards;

        @Override
        public Integer call() throws IOException {
            List<String> list = dev.align.data.shards.ShardPattern.expand(shards);
            SparkSession spark = common.session("align dfn");
            try {
                DfnSummary s = DfnJob.run(spark, list, shards, model, batchSize,
                        rule.topFraction, rule.threshold, common.out, writeShards);
                System.err.printf("dfn: kept %,d of %,d scored pairs (lowest kept score %.4f) "
                        + "in %.1f s; decisions in %s/decisions%n", s.kept(), s.scored(),
                        s.lowestKeptScore(), s.seconds(), common.out);
            } finally {
                spark.stop();
            }
            return 0;
        }
    }
}

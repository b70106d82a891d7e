package dev.align.models.io;

import static dev.align.core.Checks.checkArgument;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align.core.io.AtomicFiles;
import dev.align.core.json.Json;
import dev.align.data.text.BpeTokenizer;
import dev.align.data.text.HuggingFaceTokenizer;
import dev.align.data.text.Tokenizer;
import dev.align.data.text.TokenizerFormatException;
import dev.align.models.clip.ClipModel;
import dev.align.models.config.ClipConfig;
import dev.align.models.config.TextConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A trained model as a folder, and the one reader and writer of such folders: the model's config,
 * its weights (OpenCLIP keys), the tokenizer it was trained with, its provenance and a schema
 * version. {@code ./align train} writes one ({@link #write}); the embedder, the DFN scorer, the
 * evaluation commands and DJL users read one ({@link #read}).
 *
 * <pre>
 * model/
 *   bundle.json          {"schemaVersion": 2}          (absent in version-1 folders)
 *   model.json           the {@link ClipConfig}
 *   model.safetensors    the weights, OpenCLIP state-dict keys
 *   tokenizer.json       the tokenizer (optional: a model can be read without one)
 *   provenance.json      config, seed, library, JVM and OS versions (optional)
 * </pre>
 *
 * <p><b>Versions.</b> Version 1 is what align wrote before this class existed: the same files
 * without {@code bundle.json}. Every version this code knows is read; a folder from a newer align
 * is refused with its version named.
 *
 * <p><b>The tokenizer rule</b> ({@link #checkTokenizerFits}, used by training's data loader too):
 * a tokenizer fits a model when its ids fit the text tower's vocabulary ({@code vocabSize <=
 * text.vocabSize}) and its rows fit its context ({@code contextLength <= text.contextLength}).
 * A tokenizer file is loaded ({@link #loadTokenizer}) as align's CLIP-style BPE when it is one,
 * with the context length stored in the file ({@code truncation.max_length}, what training
 * encoded with), else the model's; any other HuggingFace {@code tokenizer.json} with the model's
 * context length. Rows shorter than the model's context are padded with the tokenizer's pad id.
 *
 * <p>A bundle holds the loaded tokenizer (a HuggingFace one owns native memory), so close it, or
 * hand it to an owner that does. The weights stay on disk until {@link #loadModel}. Instances are
 * immutable and thread-safe.
 */
public final class ModelBundle implements AutoCloseable {

    /** The schema version this code writes. */
    public static final int SCHEMA_VERSION = 2;
    /** The manifest file, holding the schema version (absent in version 1). */
    public static final String MANIFEST = "bundle.json";
    /** The config file. */
    public static final String CONFIG = "model.json";
    /** The weights file. */
    public static final String WEIGHTS = "model.safetensors";
    /** The tokenizer file. */
    public static final String TOKENIZER = "tokenizer.json";
    /** The provenance file. */
    public static final String PROVENANCE = "provenance.json";

    /**
     * The manifest's content.
     *
     * @param schemaVersion the folder's schema version, {@code >= 2} (version 1 had no manifest)
     */
    public record Manifest(int schemaVersion) {

        /** Checks the version is one a manifest can have. */
        public Manifest {
            checkArgument(schemaVersion >= 2, "schemaVersion must be >= 2 in %s (version-1 folders "
                    + "have no %s), got %s", MANIFEST, MANIFEST, schemaVersion);
        }
    }

    private final Path dir;
    private final int schemaVersion;
    private final ClipConfig config;
    private final Provenance provenance;
    private final Tokenizer tokenizer;
    private final Path tokenizerFile;

    private ModelBundle(Path dir, int schemaVersion, ClipConfig config, Provenance provenance,
            Tokenizer tokenizer, Path tokenizerFile) {
        this.dir = dir;
        this.schemaVersion = schemaVersion;
        this.config = config;
        this.provenance = provenance;
        this.tokenizer = tokenizer;
        this.tokenizerFile = tokenizerFile;
    }

    /**
     * Reads a model folder with its own {@value #TOKENIZER}, if it has one.
     *
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if the folder is missing, incomplete, from a newer align,
     *     holds an invalid file, or its tokenizer does not fit its model (the message says which)
     */
    public static ModelBundle read(Path dir) throws IOException {
        return read(dir, null);
    }

    /**
     * Reads a model folder, taking the tokenizer from {@code tokenizerFile} instead of the
     * folder's own (for folders without one).
     *
     * @param tokenizerFile a {@code tokenizer.json}, or {@code null} for the folder's
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException as {@link #read(Path)}
     */
    public static ModelBundle read(Path dir, Path tokenizerFile) throws IOException {
        Objects.requireNonNull(dir, "dir");
        checkArgument(Files.isDirectory(dir), "model folder %s does not exist (a model folder "
                + "holds %s and %s, as ./align train writes it)", dir, CONFIG, WEIGHTS);
        int version = 1;
        if (Files.exists(dir.resolve(MANIFEST))) {
            version = Json.read(dir.resolve(MANIFEST), Manifest.class).schemaVersion();
            checkArgument(version <= SCHEMA_VERSION, "model folder %s has schemaVersion %s, but "
                    + "this align reads versions 1 to %s: it was written by a newer align, use that",
                    dir, version, SCHEMA_VERSION);
        }
        for (String required : new String[] {CONFIG, WEIGHTS}) {
            checkArgument(Files.isRegularFile(dir.resolve(required)),
                    "model folder %s has no %s", dir, required);
        }
        ClipConfig config = ClipConfig.fromJson(dir.resolve(CONFIG));
        Provenance provenance = Files.isRegularFile(dir.resolve(PROVENANCE))
                ? Json.read(dir.resolve(PROVENANCE), Provenance.class) : null;
        Path tokFile = tokenizerFile != null ? tokenizerFile : dir.resolve(TOKENIZER);
        Tokenizer tokenizer = null;
        if (tokenizerFile != null || Files.isRegularFile(tokFile)) {
            tokenizer = loadTokenizer(tokFile, config.text());
        }
        return new ModelBundle(dir, version, config, provenance, tokenizer,
                tokenizer == null ? null : tokFile);
    }

    /**
     * Writes a model folder (schema {@value #SCHEMA_VERSION}) as one unit
     * ({@link AtomicFiles#writeDirectory}): the files go into a temporary sibling folder, are
     * synced, and the folder is renamed to {@code dir}, so a crash, a full disk or a read-only
     * folder leaves either the old folder or the complete new one, and no temporary folder. An
     * existing {@code dir} is replaced as a whole.
     *
     * @param tokenizerFile the tokenizer the model was trained with, copied byte for byte, or
     *     {@code null} for none
     * @param provenance where the model came from, or {@code null}
     * @throws IllegalArgumentException if the tokenizer does not fit the model
     * @throws IOException if writing fails
     */
    public static void write(Path dir, ClipModel model, Path tokenizerFile, Provenance provenance)
            throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(model, "model");
        if (tokenizerFile != null) {
            Tokenizer t = loadTokenizer(tokenizerFile, model.config().text());   // fail before writing
            close(t);
        }
        Path target = dir.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        AtomicFiles.writeDirectory(target, tmp -> {
            OpenClipWeights.save(model, tmp.resolve(WEIGHTS));
            AtomicFiles.write(tmp.resolve(CONFIG), utf8(model.config().toJson()));
            if (tokenizerFile != null) {
                AtomicFiles.write(tmp.resolve(TOKENIZER), Files.readAllBytes(tokenizerFile));
            }
            if (provenance != null) {
                AtomicFiles.write(tmp.resolve(PROVENANCE), utf8(Json.write(provenance)));
            }
            AtomicFiles.write(tmp.resolve(MANIFEST), utf8(Json.write(new Manifest(SCHEMA_VERSION))));
        });
    }

    /**
     * The one rule for whether a tokenizer fits a model's text tower: its ids within
     * {@code text.vocabSize} and its rows within {@code text.contextLength}.
     *
     * @param source names the tokenizer in the message (its file, usually)
     * @throws IllegalArgumentException naming both numbers and what to do when it does not fit
     */
    public static void checkTokenizerFits(Tokenizer tokenizer, TextConfig text, Object source) {
        checkArgument(tokenizer.vocabSize() <= text.vocabSize(), "tokenizer %s has %s ids but the "
                + "model's text tower embeds only %s (text.vocabSize): this tokenizer does not "
                + "belong to this model; import with --vocab-size %s or less, or use a model with a "
                + "larger vocabulary", source, tokenizer.vocabSize(), text.vocabSize(),
                text.vocabSize());
        checkArgument(tokenizer.contextLength() <= text.contextLength(), "tokenizer %s encodes %s "
                + "tokens per caption but the model's text tower takes %s "
                + "(text.contextLength): import with --context-length %s or less, or use a model "
                + "with a longer context", source, tokenizer.contextLength(), text.contextLength(),
                text.contextLength());
    }

    /**
     * Loads a {@code tokenizer.json} for a text tower and checks it fits
     * ({@link #checkTokenizerFits}): align's CLIP-style BPE with the context length its file
     * stores (else the tower's), any other HuggingFace tokenizer with the tower's context length.
     * The result is {@link AutoCloseable} when it holds native memory.
     *
     * @throws IllegalArgumentException if the file does not exist or the tokenizer does not fit
     * @throws IOException if it cannot be read or is no tokenizer
     */
    public static Tokenizer loadTokenizer(Path file, TextConfig text) throws IOException {
        checkArgument(Files.isRegularFile(file), "tokenizer file %s does not exist", file);
        Tokenizer tokenizer;
        try {
            tokenizer = BpeTokenizer.load(file, storedContextLength(file).orElse(text.contextLength()));
        } catch (TokenizerFormatException notClipBpe) {
            tokenizer = HuggingFaceTokenizer.load(file, text.contextLength());
        }
        try {
            checkTokenizerFits(tokenizer, text, file);
        } catch (IllegalArgumentException e) {
            try {
                close(tokenizer);
            } catch (IllegalStateException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return tokenizer;
    }

    /** {@code truncation.max_length} of a tokenizer file, when it has one. */
    private static Optional<Integer> storedContextLength(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();            // the tokenizer loaders report malformed files
        }
        JsonNode max = root == null ? null : root.path("truncation").path("max_length");
        return max != null && max.canConvertToInt() && max.asInt() > 0
                ? Optional.of(max.asInt()) : Optional.empty();
    }

    /** The folder this bundle was read from. */
    public Path directory() {
        return dir;
    }

    /** The folder's schema version: 1 for folders written before {@value #MANIFEST} existed. */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** The model's config. */
    public ClipConfig config() {
        return config;
    }

    /** Where the model came from, when the folder records it. */
    public Optional<Provenance> provenance() {
        return Optional.ofNullable(provenance);
    }

    /** Whether a tokenizer was read with the folder (its own, or one given to {@link #read}). */
    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    /**
     * The tokenizer, checked to fit the model; owned by this bundle.
     *
     * @throws IllegalStateException if the folder has none and none was given
     */
    public Tokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException(String.format("model folder %s has no %s: copy the "
                    + "tokenizer.json the model was trained with into it, or give it explicitly "
                    + "(ModelBundle.read(dir, file), ClipEmbedder.builder(dir).optTokenizer(file), or "
                    + "--tokenizer FILE where a command has it)", dir, TOKENIZER));
        }
        return tokenizer;
    }

    /** The file the tokenizer was read from, when there is one. */
    public Optional<Path> tokenizerFile() {
        return Optional.ofNullable(tokenizerFile);
    }

    /**
     * Builds the model and loads its weights into {@code manager}.
     *
     * @throws IOException if the weights cannot be read
     * @throws IncompatibleWeightsException if they do not match the config
     */
    public ClipModel loadModel(NDManager manager, DataType dataType) throws IOException {
        ClipModel model = ClipModel.create(config, manager, dataType, 0);
        OpenClipWeights.load(model, dir.resolve(WEIGHTS));
        return model;
    }

    /** Frees the tokenizer's native memory, if it has any; idempotent. */
    @Override
    public void close() {
        close(tokenizer);
    }

    private static void close(Tokenizer tokenizer) {
        if (tokenizer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the tokenizer failed: " + e, e);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

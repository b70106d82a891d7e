package dev.align.train.checkpoint;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.io.AtomicFiles;
import dev.align.core.io.FileErrors;
import dev.align.core.io.FileTrees;
import dev.align.core.json.Json;
import dev.align.models.clip.ClipModel;
import dev.align.models.io.OpenClipWeights;
import dev.align.models.io.Provenance;
import dev.align.train.optim.AdamW;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints under {@code DIR/checkpoints/step-NNNNNNNN/}: {@code model.safetensors}
 * (OpenCLIP keys), {@code optimizer.safetensors}, {@code provenance.json} and
 * {@code state.json}, which holds the step, data position, random state and the sha256 of the
 * other files. A checkpoint is written into a temporary folder, every file fsync'd, then renamed
 * into place, so a crash at any moment leaves either the whole checkpoint or none. On restore a
 * checkpoint whose files do not match their checksums is skipped with a warning and the
 * previous one is used. Only the newest {@code keep} are kept.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern NAME = Pattern.compile("step-(\\d{8,})");
    static final String MODEL = "model.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String PROVENANCE = "provenance.json";
    static final String STATE = "state.json";

    private final Path dir;
    private final int keep;

    /**
     * @param dir the folder holding the checkpoints (created if absent)
     * @param keep how many of the newest checkpoints to keep, >= 1
     */
    public Checkpoints(Path dir, int keep) throws IOException {
        checkArgument(keep >= 1, "keep must be >= 1, got %s", keep);
        this.dir = dir;
        this.keep = keep;
        Files.createDirectories(dir);
    }

    /** The folder of the checkpoint after {@code step} completed steps. */
    public Path pathOf(long step) {
        return dir.resolve(String.format("step-%08d", step));
    }

    /**
     * Writes a checkpoint atomically and prunes old ones; returns its folder.
     *
     * @throws IOException if it cannot be written (a full disk, a folder that became read-only):
     *     the half-written temporary folder is removed, the previous checkpoints are untouched,
     *     and the message says which one a {@code --resume} will continue from
     */
    public Path save(ClipModel model, AdamW optimizer, TrainState state, Provenance provenance)
            throws IOException {
        Path target = pathOf(state.step());
        Path tmp = dir.resolve(".tmp-" + target.getFileName() + "-" + ProcessHandle.current().pid());
        try {
            FileTrees.delete(tmp);
            Files.createDirectories(tmp);
            OpenClipWeights.save(model, tmp.resolve(MODEL));
            optimizer.saveState(tmp.resolve(OPTIMIZER));
            AtomicFiles.write(tmp.resolve(PROVENANCE), Json.write(provenance).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Map<String, String> sums = new LinkedHashMap<>();
            for (String f : List.of(MODEL, OPTIMIZER, PROVENANCE)) {
                sums.put(f, sha256(tmp.resolve(f)));
            }
            TrainState sealed = state.withSha256(sums);
            AtomicFiles.write(tmp.resolve(STATE), Json.write(sealed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            fsyncDirectory(tmp);
            if (Files.exists(target)) {                         // a re-run of the same step
                FileTrees.delete(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                FileTrees.delete(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new IOException(String.format("cannot write checkpoint %s in %s (%s); %s; free "
                    + "space or make the folder writable, then continue with --resume",
                    target.getFileName(), dir, FileErrors.describe(e), previousOf(state.step())), e);
        }
        fsyncDirectory(dir);
        prune();
        return target;
    }

    /** Which checkpoint a resume would use, for messages; never fails. */
    private String previousOf(long step) {
        long best = -1;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                long s = stepOf(p);
                if (s >= 0 && s < step && s > best) {
                    best = s;
                }
            }
        } catch (IOException | RuntimeException e) {
            return "the earlier checkpoints are untouched";
        }
        return best < 0 ? "there is no earlier checkpoint (a --resume starts from step 0)"
                : "the previous checkpoint " + pathOf(best).getFileName() + " is intact";
    }

    /** A checkpoint found on disk whose checksums verified. */
    public record Found(Path path, TrainState state) {

        /** The model weights file. */
        public Path model() {
            return path.resolve(MODEL);
        }

        /** The optimizer state file. */
        public Path optimizer() {
            return path.resolve(OPTIMIZER);
        }
    }

    /**
     * The newest checkpoint whose files match their checksums. Corrupt or truncated ones are
     * reported with a warning and skipped; leftovers of interrupted writes are removed.
     */
    public Optional<Found> latestValid() throws IOException {
        for (Path p : listNewestFirst()) {
            try {
                TrainState state = Json.read(p.resolve(STATE), TrainState.class);
                for (String f : List.of(MODEL, OPTIMIZER, PROVENANCE)) {
                    String expected = state.sha256().get(f);
                    String actual = sha256(p.resolve(f));
                    if (!actual.equals(expected)) {
                        throw new IOException(f + " has sha256 " + actual + ", expected " + expected);
                    }
                }
                return Optional.of(new Found(p, state));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("checkpoint {} is corrupt or incomplete ({}); trying the previous one", p,
                        e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Checkpoint folders, newest (highest step) first; removes temporary leftovers. */
    public List<Path> listNewestFirst() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    FileTrees.delete(p);
                } else if (NAME.matcher(name).matches() && Files.isDirectory(p)) {
                    found.add(p);
                }
            }
        }
        found.sort(Comparator.comparingLong(Checkpoints::stepOf).reversed());
        return found;
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void prune() throws IOException {
        List<Path> all = listNewestFirst();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            FileTrees.delete(old);
        }
    }

    /** Hex sha256 of a file's bytes. */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void fsyncDirectory(Path directory) {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the rename is still atomic there.
        }
    }
}

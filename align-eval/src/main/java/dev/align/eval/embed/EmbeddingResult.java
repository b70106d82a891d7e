package dev.align.eval.embed;

import static dev.align.core.Checks.checkArgument;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Embeddings of a list of inputs some of which may have failed.
 *
 * @param embeddings {@code [N][E]}: row {@code i} is input {@code i}'s unit vector, or
 *     {@code null} if it failed
 * @param failures the inputs that failed, in input order; exactly the {@code null} rows
 */
public record EmbeddingResult(float[][] embeddings, List<EmbeddingFailure> failures) {

    /** Checks that the failures are exactly the {@code null} rows. */
    public EmbeddingResult {
        checkArgument(embeddings != null && failures != null, "embeddings and failures must be set");
        failures = List.copyOf(failures);
        long nulls = java.util.Arrays.stream(embeddings).filter(r -> r == null).count();
        checkArgument(nulls == failures.size(), "%s null rows but %s failures", nulls,
                failures.size());
        for (EmbeddingFailure f : failures) {
            checkArgument(f.index() >= 0 && f.index() < embeddings.length
                    && embeddings[f.index()] == null, "failure %s does not match a null row", f);
        }
    }

    /** Number of inputs. */
    public int size() {
        return embeddings.length;
    }

    /** Number of inputs that were embedded. */
    public int succeeded() {
        return embeddings.length - failures.size();
    }

    /** Whether input {@code i} was embedded. */
    public boolean ok(int i) {
        return embeddings[i] != null;
    }

    /** Failures counted by {@link EmbeddingFailure#reason()}, sorted by reason. */
    public Map<String, Long> failuresByReason() {
        Map<String, Long> counts = new TreeMap<>();
        for (EmbeddingFailure f : failures) {
            counts.merge(f.reason(), 1L, Long::sum);
        }
        return counts;
    }
}

package dev.align.experiments.pool;

import dev.align.core.Checks;
import java.util.List;

/**
 * One real image-text pair a source gave, before any noise.
 *
 * @param source the source kind ({@code emoji}, {@code mdi}, {@code openclipart}, ...)
 * @param sourceKey where it came from inside the source ({@code google/1F600}, an icon name, a
 *     file path)
 * @param concept what the image shows, as an id shared by every drawing of it
 *     ({@code emoji:1F600} for Google's and Twitter's grinning face alike)
 * @param caption the caption the source gave
 * @param png the image, PNG bytes
 * @param label the concept's plain name ("grinning face"), for reworded captions
 * @param tags words that may follow the label in a reworded caption
 */
public record PoolItem(String source, String sourceKey, String concept, String caption,
        byte[] png, String label, List<String> tags) {

    /** Checks that nothing is missing. */
    public PoolItem {
        Checks.checkArgument(source != null && !source.isBlank(), "source is blank");
        Checks.checkArgument(concept != null && !concept.isBlank(), "concept of %s is blank",
                sourceKey);
        Checks.checkArgument(caption != null && !caption.isBlank(), "caption of %s is blank",
                sourceKey);
        Checks.checkArgument(png != null && png.length > 0, "image of %s is empty", sourceKey);
        label = label == null || label.isBlank() ? caption : label;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}

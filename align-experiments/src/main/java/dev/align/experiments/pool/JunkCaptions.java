package dev.align.experiments.pool;

import dev.align.core.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The alt-text junk of web pools, drawn from fixed vocabularies with a seeded generator. Every
 * caption is non-blank (a blank caption would be skipped by the shard reader, not curated).
 *
 * <ul>
 *   <li>{@link Defect#JUNK_FILENAME}: camera and download file names, {@code IMG_0042.png},
 *       {@code DSC01234.JPG}, {@code Screenshot 2019-03-02 at 10.41.22.png}, ...;
 *   <li>{@link Defect#JUNK_GENERIC}: one of {@link #GENERIC};
 *   <li>{@link Defect#JUNK_SOUP}: 5 to 10 words of {@link #SOUP} with up to two words of the
 *       pair's own caption mixed in (spam often names the subject, so some soup is
 *       informative);
 *   <li>{@link Defect#JUNK_EMPTY}: one of {@link #EMPTY}.
 * </ul>
 */
public final class JunkCaptions {

    /** Single generic words. */
    public static final List<String> GENERIC = List.of("image", "icon", "clipart", "picture",
            "graphic", "untitled", "logo", "thumbnail", "download", "img");
    /** Search-engine keywords. */
    public static final List<String> SOUP = List.of("free", "download", "png", "transparent",
            "vector", "hd", "clipart", "icon", "cartoon", "illustration", "background", "cute",
            "best", "new", "stock", "image", "graphic", "art", "design", "sticker", "royalty",
            "high", "quality", "wallpaper", "set", "collection", "symbol", "flat", "color", "2019",
            "2020", "4k");
    /** Captions that say nothing. */
    public static final List<String> EMPTY = List.of("-", ".", "_", "...", "n/a", "null",
            "undefined", "none", "?", "*");

    private static final String[] FILE_EXTENSIONS = {"png", "jpg", "JPG", "jpeg", "gif"};

    private JunkCaptions() {}

    /**
     * A junk caption of {@code kind}.
     *
     * @param kind one of {@link Defect#JUNK}
     * @param ownCaption the pair's original caption (only {@code JUNK_SOUP} borrows from it)
     */
    public static String generate(Defect kind, String ownCaption, SplittableRandom random) {
        return switch (kind) {
            case JUNK_FILENAME -> fileName(random);
            case JUNK_GENERIC -> GENERIC.get(random.nextInt(GENERIC.size()));
            case JUNK_SOUP -> soup(ownCaption, random);
            case JUNK_EMPTY -> EMPTY.get(random.nextInt(EMPTY.size()));
            default -> {
                Checks.checkArgument(false, "%s is not a junk kind; use one of %s", kind, Defect.JUNK);
                yield null;
            }
        };
    }

    private static String fileName(SplittableRandom r) {
        String ext = FILE_EXTENSIONS[r.nextInt(FILE_EXTENSIONS.length)];
        return switch (r.nextInt(7)) {
            case 0 -> String.format(Locale.ROOT, "IMG_%04d.%s", r.nextInt(10_000), ext);
            case 1 -> String.format(Locale.ROOT, "DSC%05d.%s", r.nextInt(100_000), ext);
            case 2 -> String.format(Locale.ROOT, "image%d.%s", r.nextInt(1000), ext);
            case 3 -> String.format(Locale.ROOT, "Screenshot %d-%02d-%02d at %d.%02d.%02d.png",
                    2012 + r.nextInt(12), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24),
                    r.nextInt(60), r.nextInt(60));
            case 4 -> String.format(Locale.ROOT, "%08x.%s", r.nextInt(), ext);
            case 5 -> String.format(Locale.ROOT, "download (%d).%s", 1 + r.nextInt(40), ext);
            default -> String.format(Locale.ROOT, "icon-%dx%d.%s", 16 << r.nextInt(4),
                    16 << r.nextInt(4), ext);
        };
    }

    private static String soup(String ownCaption, SplittableRandom r) {
        List<String> words = new ArrayList<>();
        int n = 5 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            words.add(SOUP.get(r.nextInt(SOUP.size())));
        }
        List<String> own = new ArrayList<>();
        for (String w : ownCaption.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                own.add(w);
            }
        }
        int borrow = own.isEmpty() ? 0 : r.nextInt(3);
        for (int i = 0; i < borrow; i++) {
            words.add(r.nextInt(words.size() + 1), own.get(r.nextInt(own.size())));
        }
        return String.join(" ", words);
    }
}

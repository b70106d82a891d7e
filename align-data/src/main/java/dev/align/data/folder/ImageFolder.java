package dev.align.data.folder;

import static dev.align.core.Checks.checkArgument;

import dev.align.core.CodePoints;
import dev.align.core.io.TextFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A labelled image collection in the ImageFolder layout (torchvision's {@code ImageFolder}, the
 * layout most classification sets ship in): one sub-folder of {@code root} per class, the folder
 * name being the class name, the images anywhere below it.
 *
 * <pre>
 * root/
 *   classnames.txt        (optional)
 *   cat/001.jpg
 *   cat/more/002.png
 *   dog/003.jpeg
 * </pre>
 *
 * <p><b>Order.</b> Classes are the sub-folders sorted by Unicode code point (as Python's
 * {@code sorted}, which torchvision uses, so label indices agree with it); the label of an image
 * is the index of its class. Images of a class are its files, recursively, whose extension
 * (case-insensitive) is one of {@link #IMAGE_EXTENSIONS}, sorted by their path relative to the
 * class folder, by code point; the image list is class by class in label order. Entries whose
 * name starts with a dot (hidden files and folders) are ignored, and so are files directly in
 * {@code root}. Symbolic links are followed; a link back to an ancestor folder is an error.
 *
 * <p><b>{@value #CLASS_NAMES_FILE}.</b> Optional, UTF-8, one line per class folder:
 * {@code folder<TAB>readable name}. It must list every class folder exactly once (in any order),
 * name no other folder, have exactly one tab per line and a non-blank readable name; an empty
 * last line is allowed. Readable names are what zero-shot prompts use ("golden retriever" for
 * folder {@code n02099601}); without the file the readable name is the folder name. Any
 * violation fails with {@link IllegalArgumentException} naming the line.
 *
 * <p>A missing root, a root with no class folders, or a class folder with no images fails with a
 * clear {@link IllegalArgumentException} (torchvision raises for an empty class too; an empty
 * class cannot be evaluated). Instances are immutable snapshots of the listing.
 */
public final class ImageFolder {

    /**
     * Image file extensions that are listed, lower case, without the dot: those the image decoder
     * reads, {@code png jpg jpeg gif bmp}, and {@code webp} only when an ImageIO WebP reader
     * (such as TwelveMonkeys' imageio-webp) is on the class path, so that every listed image can
     * be decoded.
     */
    public static final Set<String> IMAGE_EXTENSIONS = ImageIO.getImageReadersBySuffix("webp")
            .hasNext() ? Set.of("png", "jpg", "jpeg", "gif", "bmp", "webp")
            : Set.of("png", "jpg", "jpeg", "gif", "bmp");

    /** The optional file that maps folder names to readable class names. */
    public static final String CLASS_NAMES_FILE = "classnames.txt";

    /** Orders strings by Unicode code point, as Python's {@code sorted}. */
    public static final Comparator<String> CODE_POINT_ORDER = CodePoints.ORDER;

    /**
     * One image of the folder.
     *
     * @param path the file
     * @param label index of its class in {@link #classFolders()}
     */
    public record Image(Path path, int label) {}

    private final Path root;
    private final List<String> classFolders;
    private final List<String> classNames;
    private final List<Image> images;
    private final int[] counts;

    private ImageFolder(Path root, List<String> classFolders, List<String> classNames,
            List<Image> images, int[] counts) {
        this.root = root;
        this.classFolders = classFolders;
        this.classNames = classNames;
        this.images = images;
        this.counts = counts;
    }

    /**
     * Lists the classes and images under {@code root}.
     *
     * @throws IllegalArgumentException if {@code root} is not a directory, has no class folders,
     *     a class folder has no images, or {@value #CLASS_NAMES_FILE} is malformed
     * @throws IOException if a folder cannot be listed or the class names file cannot be read
     */
    public static ImageFolder open(Path root) throws IOException {
        checkArgument(root != null, "the image folder path is null");
        checkArgument(Files.isDirectory(root),
                "image folder %s does not exist or is not a directory (expected one sub-folder "
                        + "per class with the images inside)", root);
        List<String> folders = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(child)) {
                    folders.add(name);
                }
            }
        }
        folders.sort(CODE_POINT_ORDER);
        checkArgument(!folders.isEmpty(),
                "image folder %s has no class folders (expected one sub-folder per class, e.g. "
                        + "%s/cat/1.jpg and %s/dog/2.jpg)", root, root, root);
        List<Image> images = new ArrayList<>();
        int[] counts = new int[folders.size()];
        List<String> empty = new ArrayList<>();
        for (int label = 0; label < folders.size(); label++) {
            Path classDir = root.resolve(folders.get(label));
            List<String> files = new ArrayList<>();
            listImages(classDir, "", files, new HashSet<>());
            files.sort(CODE_POINT_ORDER);
            for (String f : files) {
                images.add(new Image(classDir.resolve(f), label));
            }
            counts[label] = files.size();
            if (files.isEmpty()) {
                empty.add(folders.get(label));
            }
        }
        checkArgument(empty.isEmpty(),
                "image folder %s: class folder(s) %s hold no images (extensions %s); add images "
                        + "or remove the folder(s)", root, empty, new TreeSet<>(IMAGE_EXTENSIONS));
        List<String> names = readClassNames(root.resolve(CLASS_NAMES_FILE), folders);
        return new ImageFolder(root, List.copyOf(folders), names,
                Collections.unmodifiableList(images), counts);
    }

    private static void listImages(Path dir, String prefix, List<String> out, Set<Path> visiting)
            throws IOException {
        Path real = dir.toRealPath();
        checkArgument(visiting.add(real), "%s links back to its own ancestor %s: remove the "
                + "symbolic link loop", dir, real);
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(child)) {
                    listImages(child, prefix + name + "/", out, visiting);
                } else if (Files.isRegularFile(child) && isImageName(name)) {
                    out.add(prefix + name);
                }
            }
        }
        visiting.remove(real);
    }

    /** Whether a file name has one of the {@link #IMAGE_EXTENSIONS} (case-insensitive). */
    public static boolean isImageName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static List<String> readClassNames(Path file, List<String> folders) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.copyOf(folders);
        }
        String text;
        try {
            text = TextFiles.readUtf8(file);
        } catch (TextFiles.MalformedTextException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);                              // a byte-order mark is not a name
        }
        String[] lines = text.split("\r?\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) {
            count--;                                             // the final newline
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < folders.size(); i++) {
            index.put(folders.get(i), i);
        }
        String[] names = new String[folders.size()];
        for (int n = 0; n < count; n++) {
            String line = lines[n];
            int tab = line.indexOf('\t');
            checkArgument(tab >= 0 && line.indexOf('\t', tab + 1) < 0,
                    "%s line %s: expected 'folder<TAB>readable name' with exactly one tab, got '%s'",
                    file, n + 1, line);
            String folder = line.substring(0, tab);
            String name = line.substring(tab + 1).strip();
            Integer label = index.get(folder);
            checkArgument(label != null,
                    "%s line %s: '%s' is not a class folder of %s (folders: %s)", file, n + 1,
                    folder, file.getParent(), folders);
            checkArgument(names[label] == null, "%s line %s: folder '%s' is listed twice", file,
                    n + 1, folder);
            checkArgument(!name.isEmpty(), "%s line %s: the readable name of '%s' is blank", file,
                    n + 1, folder);
            names[label] = name;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                missing.add(folders.get(i));
            }
        }
        checkArgument(missing.isEmpty(), "%s does not name the class folder(s) %s; it must list "
                + "every class folder once as 'folder<TAB>readable name'", file, missing);
        return List.of(names);
    }

    /** The folder this collection was listed from. */
    public Path root() {
        return root;
    }

    /** Class folder names, in label order. */
    public List<String> classFolders() {
        return classFolders;
    }

    /** Readable class names, in label order (the folder names without a class names file). */
    public List<String> classNames() {
        return classNames;
    }

    /** Number of classes. */
    public int classCount() {
        return classFolders.size();
    }

    /** Every image with its label, class by class in label order. */
    public List<Image> images() {
        return images;
    }

    /** Number of images. */
    public int size() {
        return images.size();
    }

    /** Number of images of each class, in label order. */
    public int[] imagesPerClass() {
        return counts.clone();
    }

    /**
     * The same collection restricted to the classes whose readable names are in {@code names}
     * (for example the labels a model was trained on, so that zero-shot accuracy is measured
     * over shared classes only): those classes keep their order and are numbered again from 0,
     * their images keep theirs.
     *
     * @param names readable class names; names that are no class here are ignored
     * @throws IllegalArgumentException if no class of this folder is named in {@code names}
     */
    public ImageFolder onlyClasses(Collection<String> names) {
        checkArgument(names != null, "the class name list is null");
        return only(names, classNames);
    }

    /**
     * The same collection restricted to the given class folders (as {@link #onlyClasses}, by
     * folder name rather than readable name).
     *
     * @param folderNames class folder names; names that are no class folder here are ignored
     * @throws IllegalArgumentException if none of them is a class folder here
     */
    public ImageFolder onlyClassFolders(Collection<String> folderNames) {
        checkArgument(folderNames != null, "the class folder list is null");
        return only(folderNames, classFolders);
    }

    private ImageFolder only(Collection<String> names, List<String> byClass) {
        Set<String> wanted = new HashSet<>(names);
        int[] newLabel = new int[classFolders.size()];
        List<String> folders = new ArrayList<>();
        List<String> readable = new ArrayList<>();
        for (int c = 0; c < classFolders.size(); c++) {
            newLabel[c] = -1;
            if (wanted.contains(byClass.get(c))) {
                newLabel[c] = folders.size();
                folders.add(classFolders.get(c));
                readable.add(classNames.get(c));
            }
        }
        checkArgument(!folders.isEmpty(), "none of the %s classes of %s (such as %s) is among the "
                + "%s names given (such as %s): is it the right class list?", classFolders.size(),
                root, byClass.subList(0, Math.min(3, byClass.size())), wanted.size(),
                names.stream().limit(3).toList());
        List<Image> kept = new ArrayList<>();
        int[] counts = new int[folders.size()];
        for (Image image : images) {
            int label = newLabel[image.label()];
            if (label >= 0) {
                kept.add(new Image(image.path(), label));
                counts[label]++;
            }
        }
        return new ImageFolder(root, List.copyOf(folders), List.copyOf(readable),
                Collections.unmodifiableList(kept), counts);
    }

    /**
     * Reads a list of class names, one per line (UTF-8; surrounding whitespace stripped, blank
     * lines ignored), such as the {@code labels.txt} an import writes.
     *
     * @throws IllegalArgumentException if the file does not exist, is not UTF-8 (the message
     *     names the byte) or names no class
     * @throws IOException if it cannot be read
     */
    public static List<String> readNameList(Path file) throws IOException {
        checkArgument(file != null && Files.isRegularFile(file),
                "class list %s does not exist (one class name per line, such as the labels.txt "
                        + "./align data import writes)", file);
        String text;
        try {
            text = TextFiles.readUtf8(file);
        } catch (TextFiles.MalformedTextException e) {
            throw new IllegalArgumentException(e.getMessage() + " (a class list: one class name "
                    + "per line)", e);
        }
        List<String> names = new ArrayList<>();
        for (String line : text.split("\r?\n|\r", -1)) {
            String name = line.replace("\uFEFF", "").strip();   // a byte-order mark is no name
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        checkArgument(!names.isEmpty(), "class list %s names no class (one name per line)", file);
        return List.copyOf(names);
    }
}

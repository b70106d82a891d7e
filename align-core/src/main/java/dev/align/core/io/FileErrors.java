package dev.align.core.io;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Failures in words, for one-line messages. A file system error's own message is only the file's
 * name ({@code nope.json}); this says what happened to which file, the same way in every command
 * and every "cannot write ..." sentence.
 */
public final class FileErrors {

    private FileErrors() {}

    /**
     * What to print for an error: {@code no such file or directory: F}, {@code already exists: F},
     * {@code permission denied: F}, {@code F: reason (other file)} for other file system errors
     * (the exception's kind when it gives no reason), and any other error's message (its class
     * name when it has none).
     *
     * @param e the failure
     * @return one line naming the file, where there is one, and what happened
     */
    public static String describe(Throwable e) {
        if (e instanceof NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason()
                    : f.getClass().getSimpleName().replace("Exception", ""))
                    + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}

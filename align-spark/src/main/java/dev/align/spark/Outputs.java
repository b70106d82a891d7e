package dev.align.spark;

import dev.align.core.Checks;
import dev.align.core.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Small files the driver writes beside a job's parquet output, on any file system Spark can write
 * to: atomically (temp file, fsync, rename) on a local or mounted file system, as a plain
 * overwrite elsewhere (HDFS and object stores have their own commit rules).
 */
public final class Outputs {

    private Outputs() {}

    /**
     * @param spark the session (its Hadoop configuration resolves the file system)
     * @param dir the job's output directory, a path or a URI
     * @param name the file's name in it
     * @param text the content, written as UTF-8
     * @throws IOException if the file cannot be written
     */
    public static void writeText(SparkSession spark, String dir, String name, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir, name);
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs instanceof LocalFileSystem) {
            AtomicFiles.write(localPath(spark, dir).resolve(name), bytes);
            return;
        }
        try (OutputStream out = fs.create(path, true)) {
            out.write(bytes);
        }
    }

    /**
     * @param spark the session
     * @param dir a path or a URI
     * @return it as a local path
     * @throws IllegalArgumentException if it is not on the local (or a mounted) file system
     */
    public static java.nio.file.Path localPath(SparkSession spark, String dir) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Checks.checkArgument(fs instanceof LocalFileSystem,
                    "%s is on %s; curated shards are written with java.nio and need a local or "
                            + "mounted (shared) directory", dir, fs.getUri());
            URI uri = fs.makeQualified(path).toUri();
            return java.nio.file.Path.of(uri);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve the file system of " + dir + ": "
                    + e.getMessage(), e);
        }
    }
}

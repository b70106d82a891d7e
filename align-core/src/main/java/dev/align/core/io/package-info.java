/**
 * Files on disk: safetensors reading and writing, atomic replacement of files and folders,
 * recursive deletes, text files, and failed file operations in words ({@link FileErrors}).
 */
package dev.align.core.io;

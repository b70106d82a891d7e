/** Files on disk: safetensors reading and writing, and atomic replacement of files. */
package dev.align.core.io;

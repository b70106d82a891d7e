/** Training data built in: a procedural image-text source that needs no download. */
package dev.align.train.data;

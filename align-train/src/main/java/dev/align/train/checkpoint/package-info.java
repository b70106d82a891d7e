/**
 * Checkpoints that resume exactly: model, optimizer moments, step, data position and random
 * state, written atomically with checksums, plus the provenance of the run.
 */
package dev.align.train.checkpoint;

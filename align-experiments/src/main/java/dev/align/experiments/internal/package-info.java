/** Helpers of the experiments that are not API: seed streams, JSON lines, folder markers. */
package dev.align.experiments.internal;

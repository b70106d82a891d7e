/** What a training run shows: JSON-lines metrics, a progress bar and loss/lr plots. */
package dev.align.train.metrics;

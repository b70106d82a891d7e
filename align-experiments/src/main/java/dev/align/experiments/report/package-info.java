/** An experiment's report folder: {@code report.json}, {@code report.md} and XChart plots. */
package dev.align.experiments.report;

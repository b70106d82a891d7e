/**
 * The curation experiment ({@code ./align experiment curation}): ALIGN's cheap rules, MetaCLIP's
 * balancing, DFN's learned filter, their hybrid, no curation and an oracle, each run by the
 * {@code curate} pipeline over one pool of real pairs with injected noise of known truth, each
 * trained at equal compute over several seeds and evaluated the same way, in one resumable run
 * ({@link dev.align.experiments.curation.CurationExperiment}) configured by one strict JSON file
 * ({@link dev.align.experiments.curation.CurationExperimentConfig}).
 */
package dev.align.experiments.curation;

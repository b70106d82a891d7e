/**
 * The curation pipeline: ALIGN rules, MetaCLIP balancing and DFN filtering chained over WebDataset
 * shards ({@link dev.align.curation.pipeline.CurationPipeline}), configured by strict JSON
 * ({@link dev.align.curation.pipeline.CurationConfig}) or a compact step syntax
 * ({@link dev.align.curation.pipeline.StepSyntax}), explaining every decision.
 */
package dev.align.curation.pipeline;

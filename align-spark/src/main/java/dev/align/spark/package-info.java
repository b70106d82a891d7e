/**
 * MetaCLIP balancing and DFN scoring as Apache Spark jobs, over parquet tables and WebDataset
 * shards, giving the same kept set as the local algorithms of {@code align-curation} for the same
 * seed. {@link dev.align.spark.CurateJob} is the {@code spark-submit} entry point.
 */
package dev.align.spark;

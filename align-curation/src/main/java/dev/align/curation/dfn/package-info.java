/**
 * DFN (Fang et al., "Data Filtering Networks", 2023) and plain CLIP-score filtering: a dual encoder
 * scores every pair by the cosine similarity of its image and text embeddings
 * ({@link dev.align.curation.dfn.DfnScorer}), and a pool keeps its best-scored fraction or the pairs
 * at or above a threshold ({@link dev.align.curation.dfn.DfnSelection}).
 */
package dev.align.curation.dfn;

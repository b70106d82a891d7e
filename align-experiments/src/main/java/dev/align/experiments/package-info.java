/**
 * Experiments that compose the library end to end. {@code curation}: the comparison of data
 * curation methods (raw, ALIGN's rules, MetaCLIP, DFN, their hybrid, an oracle) on a pool of real
 * pairs with injected noise whose truth is known, trained at equal compute and evaluated the same
 * way ({@code ./align experiment curation}).
 */
package dev.align.experiments;

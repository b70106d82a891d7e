/** Curation and filtering of image-text pools: ALIGN's rules, MetaCLIP's balancing, DFN scores. */
package dev.align.curation;

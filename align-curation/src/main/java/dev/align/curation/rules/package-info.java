/**
 * ALIGN's cheap filters (Jia et al., "Scaling Up Visual and Vision-Language Representation Learning
 * With Noisy Text Supervision", 2021, section 3): image size and aspect ratio, images and alt-texts
 * shared too often, alt-text length and rare tokens ({@link dev.align.curation.rules.AlignRules}).
 */
package dev.align.curation.rules;

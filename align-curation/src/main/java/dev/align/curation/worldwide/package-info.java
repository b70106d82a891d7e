/**
 * MetaCLIP 2 curation (Chuang et al., "Meta CLIP 2: A Worldwide Scaling Recipe", 2025): per-language
 * metadata, per-caption language identification, matching that segments scripts written without
 * spaces, and per-language thresholds that give every language the English tail share
 * ({@link dev.align.curation.worldwide.WorldwideBalancer}).
 */
package dev.align.curation.worldwide;

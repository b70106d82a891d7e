/**
 * MetaCLIP curation (Xu et al., "Demystifying CLIP Data", 2023): substring matching of captions
 * against a metadata list ({@link dev.align.curation.metaclip.MetadataMatcher}), entry counts over
 * the pool ({@link dev.align.curation.metaclip.EntryCounts}) and deterministic, explainable
 * balancing ({@link dev.align.curation.metaclip.MetaClipBalancer}).
 */
package dev.align.curation.metaclip;

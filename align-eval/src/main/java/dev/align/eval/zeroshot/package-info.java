/**
 * Zero-shot classification as OpenCLIP builds it ({@code zero_shot_classifier.py}): prompt
 * {@link dev.align.eval.zeroshot.Templates}, the {@link
 * dev.align.eval.zeroshot.ZeroShotClassifier} and its evaluation on an image folder.
 */
package dev.align.eval.zeroshot;

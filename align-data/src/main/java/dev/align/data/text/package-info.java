/**
 * Tokenizers that turn captions into fixed-length id rows for the text tower: {@link
 * dev.align.data.text.Tokenizer} (the contract: start token, tokens, end token, padding, with
 * truncation that keeps the end token last, as CLIP), {@link dev.align.data.text.BpeTokenizer}
 * (CLIP's byte-level BPE, trained in Java and saved as a HuggingFace {@code tokenizer.json}) and
 * {@link dev.align.data.text.HuggingFaceTokenizer} (any {@code tokenizer.json} through DJL).
 */
package dev.align.data.text;

/** The Transformer text tower (causal CLIP style or bidirectional BERT style). */
package dev.align.models.text;

/**
 * Building blocks shared by both towers: pre-LN residual attention blocks, multi-head
 * self-attention, layer norm and linear layers whose parameters carry OpenCLIP's names, and the
 * seeded initialisation that fills them.
 */
package dev.align.models.nn;

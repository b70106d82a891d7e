/** The dual encoder: both towers, the learnable temperature and bias, and its outputs. */
package dev.align.models.clip;

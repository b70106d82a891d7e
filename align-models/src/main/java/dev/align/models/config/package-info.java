/** Immutable model configurations (vision tower, text tower, dual encoder) and named presets. */
package dev.align.models.config;

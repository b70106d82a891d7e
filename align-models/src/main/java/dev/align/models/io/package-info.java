/** Moving weights between align models and OpenCLIP-compatible safetensors files. */
package dev.align.models.io;

/** Strict JSON reading and writing of align's configuration records. */
package dev.align.core.json;

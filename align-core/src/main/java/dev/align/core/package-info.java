/** Shared foundations of align: argument checks, strict JSON and safetensors I/O. */
package dev.align.core;

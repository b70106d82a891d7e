/** Helpers shared inside align-models; not API. */
package dev.align.models.internal;

/** Helpers shared inside align-curation; not API. */
package dev.align.curation.internal;

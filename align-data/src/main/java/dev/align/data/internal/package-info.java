/** Helpers shared by the data packages; not API, may change without notice. */
package dev.align.data.internal;

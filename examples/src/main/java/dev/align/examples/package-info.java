/** Small programs that use align as a library: start here to embed it in your own code. */
package dev.align.examples;

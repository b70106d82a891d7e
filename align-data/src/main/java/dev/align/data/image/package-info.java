/**
 * Image decoding and the OpenCLIP preprocessing transforms (resize the shorter side with bicubic
 * interpolation, centre or random resized crop, normalise) from encoded bytes straight into a
 * channel-major float batch array.
 */
package dev.align.data.image;

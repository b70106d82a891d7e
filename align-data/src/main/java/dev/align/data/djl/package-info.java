/** align's data as DJL datasets, for code written against DJL's training API. */
package dev.align.data.djl;

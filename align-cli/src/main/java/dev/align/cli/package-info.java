/** The {@code ./align} command line: one picocli command per library capability. */
package dev.align.cli;

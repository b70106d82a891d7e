/** Progress of long jobs on a stream: a bar on a terminal, plain lines in a log file. */
package dev.align.core.progress;

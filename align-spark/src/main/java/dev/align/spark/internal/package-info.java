/** Executor-side helpers of the Spark jobs (per-JVM caches); not API. */
package dev.align.spark.internal;

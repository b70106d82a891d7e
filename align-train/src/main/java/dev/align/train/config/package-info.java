/** The training run's configuration: one strict JSON record with nested specs. */
package dev.align.train.config;

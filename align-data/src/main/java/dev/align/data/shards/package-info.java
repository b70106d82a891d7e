/**
 * WebDataset shards: POSIX tar files ({@code 00000.tar}, ...) whose members are grouped into
 * samples by key ({@code KEY.jpg}, {@code KEY.txt}, {@code KEY.json}), as img2dataset writes and
 * OpenCLIP reads them. {@link dev.align.data.shards.ShardWriter} writes them deterministically,
 * {@link dev.align.data.shards.ShardReader} streams them (brace-expanded shard lists, seeded
 * shard and sample shuffles, parallel readers with a timing-independent order, bad samples
 * skipped and counted), {@link dev.align.data.shards.ShardSource} turns them into training
 * batches and {@link dev.align.data.shards.ShardInspector} summarises them.
 */
package dev.align.data.shards;

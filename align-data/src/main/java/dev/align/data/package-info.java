/** The data pipeline: WebDataset shards, image transforms, tokenizers and importers. */
package dev.align.data;

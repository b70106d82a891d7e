/**
 * Importers that turn real data sets (and a procedural one) into WebDataset shards ready for
 * training: {@code KEY.png} + {@code KEY.txt} + {@code KEY.json} samples written by
 * {@link dev.align.data.shards.ShardWriter} in a seeded random order (the {@code .json} keeps
 * each sample's source identity), {@code sizes.json}/{@code stats.json}, a byte-level BPE
 * {@code tokenizer.json} trained on the imported captions, an {@code import.json} summary and,
 * where the set has classes, an ImageFolder evaluation set under {@code eval/} (with
 * {@code classnames.txt} and the {@code templates.txt} that suits the set) and the set's
 * {@code labels.txt}. Each
 * {@link dev.align.data.imports.Importer} reads its source in the layout the project's fetch
 * script ({@code tools/fetch/fetch KIND}) leaves in the download cache.
 */
package dev.align.data.imports;

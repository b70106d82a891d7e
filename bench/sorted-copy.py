#!/usr/bin/env python3
"""Copies WebDataset shards with their samples sorted back into source order (the .json 'index'
that align's importers record), as the importers wrote them before they shuffled: the order that
starves a small shuffle buffer (issue 11). For benchmarks and for trying `./align data inspect`.

    bench/sorted-copy.py OUT_DIR SHARD [SHARD ...]

Writes OUT_DIR/00000.tar, ... with as many samples per shard as the first input shard has, and
copies tokenizer.json from beside the first shard if there is one. Holds the samples in memory."""
import io
import json
import os
import shutil
import sys
import tarfile


def samples(path):
    """Yields (key, {ext: bytes}) of a shard, members grouped by key as WebDataset does."""
    with tarfile.open(path) as tar:
        key, members = None, {}
        for m in tar:
            if not m.isfile():
                continue
            base = os.path.basename(m.name)
            k = m.name[: len(m.name) - len(base)] + base.split(".", 1)[0]
            ext = base.split(".", 1)[1]
            if key is not None and k != key:
                yield key, members
                members = {}
            key = k
            members[ext] = tar.extractfile(m).read()
        if key is not None:
            yield key, members


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, shards = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    everything = []
    per_shard = None
    for shard in shards:
        n = 0
        for key, members in samples(shard):
            everything.append((json.loads(members["json"])["index"], members))
            n += 1
        per_shard = per_shard or n
    everything.sort(key=lambda s: s[0])
    for s in range(0, len(everything), per_shard):
        with tarfile.open(os.path.join(out, "%05d.tar" % (s // per_shard)), "w",
                          format=tarfile.USTAR_FORMAT) as tar:
            for i, (_, members) in enumerate(everything[s:s + per_shard]):
                for ext in sorted(members):
                    info = tarfile.TarInfo("%09d.%s" % (s + i, ext))
                    info.size = len(members[ext])
                    tar.addfile(info, io.BytesIO(members[ext]))
    tokenizer = os.path.join(os.path.dirname(shards[0]), "tokenizer.json")
    if os.path.isfile(tokenizer):
        shutil.copy(tokenizer, os.path.join(out, "tokenizer.json"))
    print("%d samples sorted into %d shards in %s" % (len(everything),
          (len(everything) + per_shard - 1) // per_shard, out))


if __name__ == "__main__":
    main()

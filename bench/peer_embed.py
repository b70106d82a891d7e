#!/usr/bin/env python3
"""The PyTorch peer's forward-only embedding at several batch sizes, side by side with align's
ServingBench (benchmarks/): the peer's own model code (../shared/bench/peer_clip_step.py, imported;
its CLIP, its synthetic batch, its LoadMonitor and wait_quiet), eval mode + torch.no_grad(), as its
--embed-iters mode does, but without its training step first (which would not fit ViT-B-32 at
batch 256 in memory) and with batch-1 latency percentiles. One JSON line per measurement.

  peer_embed.py PEER_SCRIPT --tower images|texts|texts-short [--preset ViT-B-32]
                [--batches 1,8,64,256] [--iters 5] [--threads 2] [--wait-quiet 60]

texts: the peer's token rows (2 to 77 tokens, uniform, every row padded to 77 as the peer's text
tower always computes); texts-short: rows of 10 to 20 tokens (8 to 18 words plus start and end),
still padded to 77, as a PyTorch user encodes real alt-text. Run it with the peer's tuned setup:
  env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \\
      LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/bin/python3 ...
"""
import argparse
import importlib.util
import json
import math
import os
import statistics
import sys
import time

PRESETS = {
    "ViT-B-32": ["image_size=224", "patch_size=32", "vision_width=768", "vision_layers=12",
                 "vision_heads=12", "context_length=77", "vocab_size=49408", "text_width=512",
                 "text_layers=12", "text_heads=8", "embed_dim=512"],
    "tiny": [], "small": [],
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("peer", help="path of peer_clip_step.py")
    ap.add_argument("--tower", required=True, choices=["images", "texts", "texts-short"])
    ap.add_argument("--preset", default="ViT-B-32", choices=sorted(PRESETS))
    ap.add_argument("--batches", default="1,8,64,256")
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--latency-calls", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--wait-quiet", type=float, default=60)
    args = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, str(args.threads))
    spec = importlib.util.spec_from_file_location("peer_clip_step", args.peer)
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)
    torch = peer.torch
    torch.set_num_threads(args.threads)
    base = "small" if args.preset == "small" else "tiny"
    cfg = peer.build_cfg(peer.parse_args(["--config", base] + sum(
        (["--set", kv] for kv in PRESETS[args.preset]), [])))
    torch.manual_seed(0)
    model = peer.CLIP(cfg).eval()
    quiet = peer.wait_quiet(args.wait_quiet, 0.1) if args.wait_quiet > 0 else None
    for b in [int(x) for x in args.batches.split(",")]:
        gen = torch.Generator().manual_seed(b)
        images, texts = peer.synthetic_batch(cfg, b, gen)
        if args.tower == "texts-short":
            ctx, vocab = cfg["context_length"], cfg["vocab_size"]
            texts = torch.zeros(b, ctx, dtype=torch.long)
            lengths = torch.randint(10, 21, (b,), generator=gen)
            body = torch.randint(1, vocab - 1, (b, ctx), generator=gen)
            for i in range(b):
                n = int(lengths[i])
                texts[i, :n - 1] = body[i, :n - 1]
                texts[i, n - 1] = vocab - 1
        fn, inp = ((model.encode_image, images) if args.tower == "images"
                   else (model.encode_text, texts))
        with torch.no_grad():
            for _ in range(2):
                fn(inp)
            ts = []
            with peer.LoadMonitor() as mon:
                for _ in range(args.iters):
                    t0 = time.perf_counter()
                    fn(inp)
                    ts.append(time.perf_counter() - t0)
            med = statistics.median(ts)
            line = {"who": "peer", "preset": args.preset, "what": args.tower, "batch": b,
                    "per_second": round(b / med, 2), "best_per_second": round(b / min(ts), 2),
                    "foreign_cores": mon.result["foreign_cores"], "threads": args.threads,
                    "wait_quiet": quiet}
            if b == 1:
                lat = []
                with peer.LoadMonitor() as lmon:
                    for _ in range(args.latency_calls):
                        t0 = time.perf_counter()
                        fn(inp)
                        lat.append(time.perf_counter() - t0)
                lat.sort()
                line.update({"latency_ms_p50": round(lat[len(lat) // 2] * 1e3, 2),
                             "latency_ms_p99": round(lat[math.ceil(len(lat) * 0.99) - 1] * 1e3, 2),
                             "latency_calls": len(lat),
                             "latency_foreign_cores": lmon.result["foreign_cores"]})
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    sys.exit(main())

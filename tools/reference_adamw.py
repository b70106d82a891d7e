"""Golden trajectory of torch.optim.AdamW for align-train's AdamW, GradClip and CosineSchedule.

    /usr/bin/python3 tools/reference_adamw.py --out align-train/src/test/resources/golden/adamw.json

A handful of float64 parameters with OpenCLIP names and shapes take 5 steps of fixed per-step
gradients. Each step: set .grad, clip_grad_norm_(params, 1.0), then AdamW (foreach=False) with
two parameter groups (decay 0.1 / none), betas (0.9, 0.98), eps 1e-6, and the learning rate of a
linear warmup (2 steps) plus cosine decay (to 0 at step 5) from a peak of 1e-2. The file stores
the initial weights, every step's gradients, learning rate, pre-clip norm and the weights after
the step, so the Java test replays exactly the same inputs.
"""
import argparse
import json
import math

import torch

SHAPES = {  # name -> shape, in OpenCLIP state-dict style
    "visual.proj": [4, 3],
    "positional_embedding": [5, 4],
    "ln_final.weight": [4],
    "logit_scale": [],
    "token_embedding.weight": [6, 4],
}
STEPS, WARMUP, PEAK_LR, MIN_LR = 5, 2, 1e-2, 0.0
GRAD_SCALES = [0.05, 0.5, 0.02, 1.0, 0.1]  # global norms ~0.4, 4, 0.16, 8, 0.8: clips steps 1 and 3
WEIGHT_DECAY, BETAS, EPS, MAX_NORM = 0.1, (0.9, 0.98), 1e-6, 1.0


def lr_at(step):
    """Linear warmup then cosine decay, align's CosineSchedule.lr."""
    if step < WARMUP:
        return PEAK_LR * (step + 1) / WARMUP
    progress = min(1.0, (step - WARMUP) / (STEPS - WARMUP))
    return MIN_LR + 0.5 * (PEAK_LR - MIN_LR) * (1 + math.cos(math.pi * progress))


def decays(name, shape):
    """align's grouping rule: no decay below 2 dims, on positional embeddings, on logit_*."""
    return len(shape) >= 2 and "positional_embedding" not in name and name not in ("logit_scale", "logit_bias")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    gen = torch.Generator().manual_seed(1234)
    params = {n: torch.nn.Parameter(torch.randn(s, generator=gen, dtype=torch.float64)) for n, s in SHAPES.items()}
    grads = [{n: torch.randn(s, generator=gen, dtype=torch.float64) * scale for n, s in SHAPES.items()}
             for scale in GRAD_SCALES]
    initial = {n: p.detach().clone() for n, p in params.items()}

    decay = [p for n, p in params.items() if decays(n, SHAPES[n])]
    no_decay = [p for n, p in params.items() if not decays(n, SHAPES[n])]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=PEAK_LR, betas=BETAS, eps=EPS, foreach=False)
    steps = []
    for step in range(STEPS):
        lr = lr_at(step)
        for group in opt.param_groups:
            group["lr"] = lr
        for n, p in params.items():
            p.grad = grads[step][n].clone()
        norm = torch.nn.utils.clip_grad_norm_(list(params.values()), MAX_NORM)
        opt.step()
        opt.zero_grad()
        steps.append({
            "lr": lr,
            "grad_norm": norm.item(),
            "grads": {n: g.flatten().tolist() for n, g in grads[step].items()},
            "weights": {n: p.detach().flatten().tolist() for n, p in params.items()},
        })
    out = {
        "torch_version": torch.__version__,
        "shapes": SHAPES,
        "decayed": [n for n in SHAPES if decays(n, SHAPES[n])],
        "hyper": {"weight_decay": WEIGHT_DECAY, "beta1": BETAS[0], "beta2": BETAS[1], "eps": EPS,
                  "max_norm": MAX_NORM, "warmup_steps": WARMUP, "total_steps": STEPS,
                  "peak_lr": PEAK_LR, "min_lr": MIN_LR},
        "initial": {n: t.flatten().tolist() for n, t in initial.items()},
        "steps": steps,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("norms", [round(s["grad_norm"], 4) for s in steps], "lrs", [s["lr"] for s in steps])


if __name__ == "__main__":
    main()

"""align's own PyTorch stand-in for OpenCLIP's training loop (issue 11: learn as much as OpenCLIP
from the same data and compute). It trains tools/reference_clip.py's CLIP on align's WebDataset
shards, tokenised with tools/reference_tokenizer.py (align's tokenizer, re-implemented and checked
id for id by align-data's TokenizerParityTest), and writes an align model folder, so that
``./align eval`` judges both models with the same code.

    /usr/bin/python3 tools/reference_train.py --shards 'DIR/{00000..00007}.tar' \\
        --like ALIGN_MODEL_DIR --out OUT_MODEL_DIR [--tokenizer DIR/tokenizer.json] \\
        [--steps 600 --batch 256 --lr 1e-3 --warmup 50 --wd 0.1 --seed 0 --threads 2]

Recipe (OpenCLIP's, as the peer trainer openclip_train.py runs it; see tools/README.md):
- model: the dimensions of ``--like``'s model.json; OpenCLIP's CLIP initialisation by default
  (``--init openclip``: PyTorch's default init in the image tower's blocks and the MLP biases,
  OpenAI's normal init in the text tower) or align's (``--init align``: OpenAI's init in both
  towers, zero biases);
- data: every pair decoded once (transparent pixels over white, as align's ImageDecoder); each
  epoch a fresh random permutation of all pairs, cut into batches; the last partial batch of an
  epoch is dropped; torchvision's RandomResizedCrop(S, scale=(crop-scale-min, crop-scale-max),
  ratio=(3/4, 4/3), bicubic, antialias) per image, then OpenAI mean/std;
- loss: symmetric InfoNCE on L2-normalised embeddings (optional label smoothing) or SigLIP;
- AdamW(betas 0.9/0.98, eps 1e-6), weight decay on parameters of 2+ dims (``--decay-rule
  openclip``; ``align`` also exempts positional embeddings), linear warmup then cosine to
  ``--min-lr``, global-norm clipping, logit_scale clamped to [0, ln 100] after every step.

Outputs in OUT: model.json (the config used), model.safetensors (OpenCLIP keys, F32),
tokenizer.json (copied), metrics.jsonl (one line per step: step, loss, lr, gradNorm,
logitScale, elapsedSeconds) and summary.json. Needs only torch, torchvision, numpy and PIL.
"""
import argparse
import io
import json
import math
import os
import shutil
import sys
import tarfile
import time

# As ./align does for libtorch: OpenMP threads that spin while they wait lose most of their time
# on a shared machine (a step was 10x slower here under load). Must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_clip as ref  # noqa: E402
from make_golden import write_safetensors  # noqa: E402
from reference_tokenizer import ClipBpe, java_is_blank  # noqa: E402

OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "webp")  # align's Sample.IMAGE_EXTENSIONS, in order
WHITE = (255, 255, 255)

# ----------------------------------------------------------------------------- shards


def _range(body):
    lo, hi = body.split("..", 1)
    a, b = int(lo), int(hi)
    padded = (len(lo) > 1 and lo[0] == "0") or (len(hi) > 1 and hi[0] == "0")
    width = max(len(lo), len(hi)) if padded else 0
    step = 1 if a <= b else -1
    out = []
    for v in range(a, b + step, step):
        digits = str(abs(v)).zfill(max(0, width - (1 if v < 0 else 0)))
        out.append(("-" if v < 0 else "") + digits)
    return out


def _expand_one(s):
    open_ = s.find("{")
    if open_ < 0:
        return [s]
    depth, close = 0, -1
    for i in range(open_, len(s)):
        depth += {"{": 1, "}": -1}.get(s[i], 0)
        if depth == 0:
            close = i
            break
    if close < 0:
        raise ValueError(f"unbalanced '{{' in shard pattern {s}")
    prefix, body = s[:open_], s[open_ + 1:close]
    suffixes = _expand_one(s[close + 1:])
    parts, depth, start = [], 0, 0
    for i, c in enumerate(body):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    if len(parts) > 1:
        alternatives = [x for p in parts for x in _expand_one(p)]
    elif ".." in body:
        alternatives = _range(body)
    else:
        alternatives = ["{" + x + "}" for x in _expand_one(body)]
    return [prefix + a + b for a in alternatives for b in suffixes]


def expand_shards(pattern):
    """align's ShardPattern: braceexpand ranges (zero padding kept) and lists, '::' separated."""
    return [name for part in pattern.split("::") for name in _expand_one(part)]


def decode_rgb(data, background=WHITE):
    """Decodes an image to uint8 [H,W,3] like align's ImageDecoder: transparency composited onto
    the background with c' = (c a + bg (255 - a) + 127) // 255, grey copied to R, G and B."""
    from PIL import Image
    im = Image.open(io.BytesIO(data))
    im.load()
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    if not has_alpha:
        return np.asarray(im.convert("RGB"))
    rgba = np.asarray(im.convert("RGBA")).astype(np.uint32)
    a = rgba[..., 3:4]
    bg = np.array(background, dtype=np.uint32)
    return ((rgba[..., :3] * a + bg * (255 - a) + 127) // 255).astype(np.uint8)


def read_pairs(pattern):
    """Every (image, caption) of the shards, grouped as align's ShardReader groups members
    (KEY = name up to the first dot of the file name; a key that reappears later starts a new
    sample; the first member of an extension wins). Samples without an image or caption, with a
    caption that is not UTF-8 or blank, or with an undecodable image are skipped and counted."""
    images, captions, skipped = [], [], {}

    def skip(reason):
        skipped[reason] = skipped.get(reason, 0) + 1

    def emit(members):
        ext = next((e for e in IMAGE_EXTENSIONS if e in members), None)
        if ext is None:
            return skip("missing_image")
        if "txt" not in members:
            return skip("missing_caption")
        try:
            caption = members["txt"].decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return skip("invalid_utf8")
        if java_is_blank(caption):
            return skip("empty_caption")
        try:
            pixels = decode_rgb(members[ext])
        except Exception:  # noqa: BLE001  (any decoder failure is a corrupt sample)
            return skip("corrupt_image")
        images.append(torch.from_numpy(np.array(pixels)).permute(2, 0, 1).contiguous())
        captions.append(caption)

    for path in expand_shards(pattern):
        key, members = None, None
        with tarfile.open(path) as tf:
            for m in tf:
                if not m.isfile():
                    continue
                slash = m.name.rfind("/")
                dot = m.name.find(".", slash + 1)
                if dot <= slash + 1 or dot == len(m.name) - 1:
                    skip("no_extension")
                    continue
                member_key, ext = m.name[:dot], m.name[dot + 1:].lower()
                if key is not None and key != member_key:
                    emit(members)
                    key = None
                if key is None:
                    key, members = member_key, {}
                if ext in members:
                    skip("duplicate_member")
                else:
                    members[ext] = tf.extractfile(m).read()
        if key is not None:
            emit(members)
    return images, captions, skipped

# ----------------------------------------------------------------------------- model


def init_params(cfg, mode, generator):
    """Float32 training init, as OpenCLIP's CLIP (``mode='openclip'``) or align's ClipModel
    (``mode='align'``); the two differ only in the image tower's blocks and in the MLP biases."""
    vw, tw = cfg["vision"]["width"], cfg["text"]["width"]
    ps = cfg["vision"]["patchSize"]
    p = {}

    def normal(shape, std):
        return torch.randn(shape, generator=generator) * std

    def uniform(shape, bound):
        return (torch.rand(shape, generator=generator) * 2 - 1) * bound

    def block(prefix, width, layers, mlp, openai_init):
        attn_std = width ** -0.5
        proj_std = attn_std * (2 * max(layers, 1)) ** -0.5
        fc_std = (2 * width) ** -0.5
        for i in range(layers):
            b = f"{prefix}transformer.resblocks.{i}."
            p[b + "ln_1.weight"], p[b + "ln_1.bias"] = torch.ones(width), torch.zeros(width)
            p[b + "ln_2.weight"], p[b + "ln_2.bias"] = torch.ones(width), torch.zeros(width)
            p[b + "attn.in_proj_bias"] = torch.zeros(3 * width)
            p[b + "attn.out_proj.bias"] = torch.zeros(width)
            if openai_init:   # OpenAI's text-tower init (align uses it in both towers)
                p[b + "attn.in_proj_weight"] = normal([3 * width, width], attn_std)
                p[b + "attn.out_proj.weight"] = normal([width, width], proj_std)
                p[b + "mlp.c_fc.weight"] = normal([mlp, width], fc_std)
                p[b + "mlp.c_proj.weight"] = normal([width, mlp], proj_std)
            else:             # torch defaults: nn.MultiheadAttention (xavier), nn.Linear
                p[b + "attn.in_proj_weight"] = uniform([3 * width, width], math.sqrt(6 / (4 * width)))
                p[b + "attn.out_proj.weight"] = uniform([width, width], 1 / math.sqrt(width))
                p[b + "mlp.c_fc.weight"] = uniform([mlp, width], 1 / math.sqrt(width))
                p[b + "mlp.c_proj.weight"] = uniform([width, mlp], 1 / math.sqrt(mlp))
            if mode == "openclip":  # nn.Linear's default bias, which OpenCLIP never resets
                p[b + "mlp.c_fc.bias"] = uniform([mlp], 1 / math.sqrt(width))
                p[b + "mlp.c_proj.bias"] = uniform([width], 1 / math.sqrt(mlp))
            else:
                p[b + "mlp.c_fc.bias"], p[b + "mlp.c_proj.bias"] = torch.zeros(mlp), torch.zeros(width)

    vc, tc = cfg["vision"], cfg["text"]
    grid = vc["imageSize"] // ps
    p["visual.conv1.weight"] = uniform([vw, 3, ps, ps], 1 / math.sqrt(3 * ps * ps))
    p["visual.class_embedding"] = normal([vw], vw ** -0.5)
    p["visual.positional_embedding"] = normal([grid * grid + 1, vw], vw ** -0.5)
    p["visual.ln_pre.weight"], p["visual.ln_pre.bias"] = torch.ones(vw), torch.zeros(vw)
    block("visual.", vw, vc["layers"], int(vw * vc["mlpRatio"]), openai_init=(mode == "align"))
    p["visual.ln_post.weight"], p["visual.ln_post.bias"] = torch.ones(vw), torch.zeros(vw)
    p["visual.proj"] = normal([vw, cfg["embedDim"]], vw ** -0.5)
    p["token_embedding.weight"] = normal([tc["vocabSize"], tw], 0.02)
    p["positional_embedding"] = normal([tc["contextLength"], tw], 0.01)
    block("", tw, tc["layers"], int(tw * tc["mlpRatio"]), openai_init=True)
    p["ln_final.weight"], p["ln_final.bias"] = torch.ones(tw), torch.zeros(tw)
    p["text_projection"] = normal([tw, cfg["embedDim"]], tw ** -0.5)
    p["logit_scale"] = torch.tensor(float(cfg["initLogitScale"]))
    if cfg.get("initLogitBias") is not None:
        p["logit_bias"] = torch.tensor(float(cfg["initLogitBias"]))
    expected = ref.param_shapes(cfg)
    assert set(p) == set(expected), sorted(set(p) ^ set(expected))
    for k, shape in expected.items():
        assert list(p[k].shape) == shape, (k, list(p[k].shape), shape)
    return {k: torch.nn.Parameter(p[k].to(torch.float32)) for k in expected}


def use_torch_kernels():
    """Runs LayerNorm and exact GELU through torch's fused kernels (F.layer_norm, F.gelu), as
    OpenCLIP does, instead of reference_clip.py's written-out forms: 20% less CPU per step. The
    two agree to 1e-12 in float64 (make_golden.validate() checks it; checked again here)."""
    import torch.nn.functional as F
    x = torch.randn(4, 7, 16, dtype=torch.float64)
    w, b = 1 + torch.randn(16, dtype=torch.float64), torch.randn(16, dtype=torch.float64)
    ln = F.layer_norm(x, (16,), w, b, ref.LN_EPS)
    assert (ln - ref.layer_norm(x, w, b)).abs().max() < 1e-10
    assert (F.gelu(x) - ref.activation("GELU")(x)).abs().max() < 1e-12
    plain = ref.activation
    ref.layer_norm = lambda x, w, b: F.layer_norm(x, (x.shape[-1],), w, b, ref.LN_EPS)
    ref.activation = lambda name: F.gelu if name == "GELU" else plain(name)


def decays(name, shape, rule):
    """OpenCLIP: every parameter of 2+ dims (not gains, biases, class embedding, logit_scale).
    align: the same minus the positional embeddings (align's AdamW.decays)."""
    if len(shape) < 2 or "logit_scale" in name or "logit_bias" in name:
        return False
    return not (rule == "align" and "positional_embedding" in name)


def lr_at(step, peak, warmup, total, min_lr):
    """0-based step: peak * (step + 1) / warmup, then cosine from peak to min_lr (align's
    CosineSchedule, OpenCLIP's cosine_lr)."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return min_lr + 0.5 * (peak - min_lr) * (1 + math.cos(math.pi * progress))

# ----------------------------------------------------------------------------- main


def load_config(like):
    """The model config: ``--like`` is a model folder (its model.json) or a config file."""
    path = os.path.join(like, "model.json") if os.path.isdir(like) else like
    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text)
    cfg = doc.get("config", doc)
    for key in ("embedDim", "initLogitScale", "vision", "text"):
        if key not in cfg:
            raise SystemExit(f"{path}: no '{key}' (expected an align model.json)")
    # The file is copied as it is unless the config sits inside a wrapper object.
    raw = text.encode("utf-8") if cfg is doc else (json.dumps(cfg, indent=2) + "\n").encode("utf-8")
    cfg.setdefault("initLogitBias", None)
    return cfg, raw


def _write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", required=True, help="brace pattern, e.g. 'DIR/{00000..00007}.tar'")
    ap.add_argument("--tokenizer", help="tokenizer.json (default: the one beside the first shard)")
    ap.add_argument("--like", required=True, help="align model folder (or model.json) giving the dimensions")
    ap.add_argument("--out", required=True, help="output model folder")
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr", type=float, default=0.0)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0, help="global-norm clip; 0 disables")
    ap.add_argument("--crop-scale-min", type=float, default=0.9)
    ap.add_argument("--crop-scale-max", type=float, default=1.0)
    ap.add_argument("--loss", choices=("infonce", "siglip"), default="infonce")
    ap.add_argument("--label-smoothing", type=float, default=0.0)
    ap.add_argument("--init", choices=("openclip", "align"), default="openclip")
    ap.add_argument("--decay-rule", choices=("openclip", "align"), default="openclip")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--plain-ops", action="store_true",
                    help="reference_clip.py's written-out LayerNorm and GELU instead of torch's kernels")
    ap.add_argument("--log-every", type=int, default=50, help="print a progress line every N steps")
    a = ap.parse_args()
    if not 0 < a.crop_scale_min <= a.crop_scale_max <= 1:
        raise SystemExit(f"need 0 < --crop-scale-min <= --crop-scale-max <= 1, got "
                         f"{a.crop_scale_min} and {a.crop_scale_max}")
    if not 0 <= a.warmup < a.steps:
        raise SystemExit(f"--warmup {a.warmup} must be in [0, --steps {a.steps})")

    from torchvision.transforms import InterpolationMode, RandomResizedCrop

    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    if not a.plain_ops:
        use_torch_kernels()
    cfg, cfg_raw = load_config(a.like)
    if cfg["vision"].get("patchDropout", 0.0) > 0:
        raise SystemExit("patch dropout is not implemented in the reference; use a config without it")
    if a.loss == "siglip" and cfg["initLogitBias"] is None:
        raise SystemExit("--loss siglip needs a model with initLogitBias")
    tokenizer_path = a.tokenizer or os.path.join(os.path.dirname(expand_shards(a.shards)[0]), "tokenizer.json")
    tok = ClipBpe.load(tokenizer_path)
    if tok.vocab_size() > cfg["text"]["vocabSize"] or tok.context_length > cfg["text"]["contextLength"]:
        raise SystemExit(f"tokenizer {tokenizer_path} ({tok.vocab_size()} ids, context "
                         f"{tok.context_length}) does not fit the text tower ({cfg['text']['vocabSize']} "
                         f"ids, context {cfg['text']['contextLength']})")

    t0 = time.time()
    images, captions, skipped = read_pairs(a.shards)
    ids = torch.tensor([tok.encode(c) for c in captions], dtype=torch.long)
    n = len(captions)
    print(f"data: {n} pairs in {time.time() - t0:.1f} s, skipped {skipped}; ids {tuple(ids.shape)}",
          flush=True)
    if n < a.batch:
        raise SystemExit(f"{n} pairs is fewer than one batch of {a.batch}")

    params = init_params(cfg, a.init, torch.Generator().manual_seed(a.seed))
    decayed = [p for k, p in params.items() if decays(k, p.shape, a.decay_rule)]
    rest = [p for k, p in params.items() if not decays(k, p.shape, a.decay_rule)]
    print(f"decayed: {len(decayed)} tensors, {sum(p.numel() for p in decayed):,} weights "
          f"(weight decay {a.wd}); not decayed: {len(rest)} tensors, "
          f"{sum(p.numel() for p in rest):,} weights; init {a.init}", flush=True)
    opt = torch.optim.AdamW([{"params": decayed, "weight_decay": a.wd},
                             {"params": rest, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.98), eps=1e-6)
    size = cfg["vision"]["imageSize"]
    crop = RandomResizedCrop(size, scale=(a.crop_scale_min, a.crop_scale_max),
                             interpolation=InterpolationMode.BICUBIC, antialias=True)
    mean = torch.tensor(OPENAI_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(OPENAI_STD).view(1, 3, 1, 1)
    rng = np.random.RandomState(a.seed)

    os.makedirs(a.out, exist_ok=True)
    metrics = open(os.path.join(a.out, "metrics.jsonl"), "w", encoding="utf-8")
    order, pos, epoch = rng.permutation(n), 0, 0
    load_before = os.getloadavg()
    t0, cpu0 = time.time(), time.process_time()
    for step in range(a.steps):
        lr = lr_at(step, a.lr, a.warmup, a.steps, a.min_lr)
        for g in opt.param_groups:
            g["lr"] = lr
        if pos + a.batch > n:      # drop the epoch's last partial batch, draw a new permutation
            order, pos, epoch = rng.permutation(n), 0, epoch + 1
        idx = order[pos:pos + a.batch].tolist()
        pos += a.batch
        x = torch.stack([crop(images[i]) for i in idx]).float().div_(255)
        x = (x - mean) / std
        img = ref.l2_normalize(ref.encode_image(params, cfg, x))
        txt = ref.l2_normalize(ref.encode_text(params, cfg, ids[idx]))
        if a.loss == "infonce":
            loss = ref.infonce_loss(img, txt, params["logit_scale"], a.label_smoothing)
        else:
            loss = ref.siglip_loss(img, txt, params["logit_scale"], params["logit_bias"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(list(params.values()), a.clip if a.clip > 0 else float("inf"))
        opt.step()
        with torch.no_grad():
            params["logit_scale"].clamp_(0, math.log(100))
        if not math.isfinite(loss.item()):
            raise SystemExit(f"non-finite loss at step {step + 1}")
        elapsed = time.time() - t0
        metrics.write(json.dumps({"step": step + 1, "loss": loss.item(), "lr": lr,
                                  "gradNorm": grad_norm.item(),
                                  "logitScale": math.exp(params["logit_scale"].item()),
                                  "epoch": epoch, "elapsedSeconds": round(elapsed, 3)}) + "\n")
        metrics.flush()
        if (step + 1) % a.log_every == 0 or step == 0:
            print(f"step {step + 1}/{a.steps} loss {loss.item():.4f} lr {lr:.2e} "
                  f"scale {math.exp(params['logit_scale'].item()):.2f} "
                  f"{a.batch * (step + 1) / elapsed:.1f} samples/s", flush=True)
    metrics.close()
    seconds, cpu = time.time() - t0, time.process_time() - cpu0

    write_safetensors(os.path.join(a.out, "model.safetensors.tmp"), {k: v.detach() for k, v in params.items()})
    os.replace(os.path.join(a.out, "model.safetensors.tmp"), os.path.join(a.out, "model.safetensors"))
    _write_atomic(os.path.join(a.out, "model.json"), cfg_raw)
    shutil.copyfile(tokenizer_path, os.path.join(a.out, "tokenizer.json.tmp"))
    os.replace(os.path.join(a.out, "tokenizer.json.tmp"), os.path.join(a.out, "tokenizer.json"))
    summary = {"steps": a.steps, "batch": a.batch, "pairs": n, "epochs": epoch + 1,
               "seconds": round(seconds, 1), "cpuSeconds": round(cpu, 1),
               "samplesPerSecond": round(a.batch * a.steps / seconds, 1),
               "loadAverageBefore": [round(x, 2) for x in load_before],
               "loadAverageAfter": [round(x, 2) for x in os.getloadavg()],
               "finalLoss": loss.item(), "init": a.init, "decayRule": a.decay_rule,
               "args": vars(a)}
    _write_atomic(os.path.join(a.out, "summary.json"), (json.dumps(summary, indent=2) + "\n").encode("utf-8"))
    print(json.dumps({k: summary[k] for k in ("steps", "seconds", "cpuSeconds", "samplesPerSecond", "finalLoss")}))


if __name__ == "__main__":
    main()

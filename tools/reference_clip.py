"""align's own PyTorch reference for CLIP/ALIGN dual encoders and their contrastive losses.

Written from align's model description (OpenCLIP-compatible layout, parameter names and numerics),
as plain functions over a parameter dict ``{name: tensor}`` so the same code runs in float32 and
float64 and can be differentiated with respect to every parameter.

Config: the camelCase dict of ``config.json`` (the Java side reads the same file)::

    {"schemaVersion": 1, "embedDim": E, "initLogitScale": s0, "initLogitBias": b0 or None,
     "vision": {"imageSize", "patchSize", "width", "layers", "heads", "mlpRatio", "activation",
                "patchDropout"},
     "text": {"contextLength", "vocabSize", "width", "layers", "heads", "mlpRatio", "activation",
              "causal", "pool", "padId"}}

Shapes: B batch, T tokens, W width, M = int(W * mlpRatio) MLP width, E embedding dim,
P patch size, G = imageSize / P grid size, V vocabulary size.
"""
import math

import torch
import torch.nn.functional as F

LN_EPS = 1e-5
NORM_EPS = 1e-12


# ----------------------------------------------------------------------------- building blocks

def layer_norm(x, weight, bias):
    """LayerNorm over the last dim: (x - mean) / sqrt(biased var + 1e-5) * weight + bias."""
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + LN_EPS) * weight + bias


def activation(name):
    """'GELU' (exact, erf form) or 'QUICK_GELU' (x * sigmoid(1.702 x))."""
    if name == "GELU":
        return lambda x: 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name == "QUICK_GELU":
        return lambda x: x * torch.sigmoid(1.702 * x)
    raise ValueError(f"unknown activation {name!r}")


def attention(x, in_w, in_b, out_w, out_b, heads, mask=None):
    """Multi-head self-attention, equal to torch.nn.MultiheadAttention (batch_first).

    x [B,T,W]; in_w [3W,W], in_b [3W] give q, k, v in that order; out_w [W,W], out_b [W].
    mask: additive, broadcastable to [B, heads, T, T] (-inf blocks a key), or None.
    """
    b, t, w = x.shape
    d = w // heads
    q, k, v = (x @ in_w.T + in_b).split(w, dim=-1)
    q, k, v = (z.reshape(b, t, heads, d).transpose(1, 2) for z in (q, k, v))  # [B,h,T,d]
    scores = (q / math.sqrt(d)) @ k.transpose(-2, -1)                          # [B,h,T,T]
    if mask is not None:
        scores = scores + mask
    out = torch.softmax(scores, dim=-1) @ v                                    # [B,h,T,d]
    out = out.transpose(1, 2).reshape(b, t, w)
    return out @ out_w.T + out_b


def residual_block(x, p, prefix, heads, act, mask=None):
    """Pre-LN block: x += attn(ln_1(x)); x += c_proj(act(c_fc(ln_2(x))))."""
    h = layer_norm(x, p[prefix + "ln_1.weight"], p[prefix + "ln_1.bias"])
    x = x + attention(h, p[prefix + "attn.in_proj_weight"], p[prefix + "attn.in_proj_bias"],
                      p[prefix + "attn.out_proj.weight"], p[prefix + "attn.out_proj.bias"],
                      heads, mask)
    h = layer_norm(x, p[prefix + "ln_2.weight"], p[prefix + "ln_2.bias"])
    h = act(h @ p[prefix + "mlp.c_fc.weight"].T + p[prefix + "mlp.c_fc.bias"])
    return x + h @ p[prefix + "mlp.c_proj.weight"].T + p[prefix + "mlp.c_proj.bias"]


def transformer(x, p, prefix, tower_cfg, mask=None):
    """The tower's stack of residual blocks ``{prefix}transformer.resblocks.{i}.``."""
    act = activation(tower_cfg["activation"])
    for i in range(tower_cfg["layers"]):
        x = residual_block(x, p, f"{prefix}transformer.resblocks.{i}.", tower_cfg["heads"], act, mask)
    return x


def l2_normalize(x):
    """x / max(||x||_2, 1e-12) along the last dim (same as F.normalize)."""
    return x / x.norm(dim=-1, keepdim=True).clamp_min(NORM_EPS)


# ----------------------------------------------------------------------------- towers

def encode_image(p, cfg, pixels):
    """Image tower (prefix ``visual.``): pixels [B,3,H,W] -> unnormalised features [B,E]."""
    vc = cfg["vision"]
    x = F.conv2d(pixels, p["visual.conv1.weight"], stride=vc["patchSize"])  # [B,W,G,G]
    x = x.flatten(2).transpose(1, 2)                                         # [B,G*G,W] row-major
    cls = p["visual.class_embedding"].expand(x.shape[0], 1, -1)
    x = torch.cat([cls, x], dim=1) + p["visual.positional_embedding"]
    x = layer_norm(x, p["visual.ln_pre.weight"], p["visual.ln_pre.bias"])
    x = transformer(x, p, "visual.", vc)
    x = layer_norm(x[:, 0], p["visual.ln_post.weight"], p["visual.ln_post.bias"])
    return x @ p["visual.proj"]


def text_mask(input_ids, text_cfg, dtype):
    """Additive attention mask for the text tower.

    causal: [T,T] with -inf strictly above the diagonal.
    bidirectional: [B,1,1,T] with -inf at keys whose id == padId, except position 0 (never masked).
    """
    b, t = input_ids.shape
    if text_cfg["causal"]:
        return torch.full((t, t), float("-inf"), dtype=dtype).triu(1)
    blocked = input_ids == text_cfg["padId"]
    blocked[:, 0] = False
    mask = torch.zeros(b, t, dtype=dtype).masked_fill(blocked, float("-inf"))
    return mask[:, None, None, :]


def pool_index(input_ids, pool):
    """Token position to pool per row: ARGMAX = first position of the row's max id, FIRST = 0."""
    b, t = input_ids.shape
    if pool == "FIRST":
        return torch.zeros(b, dtype=torch.long)
    if pool == "ARGMAX":
        is_max = input_ids == input_ids.max(dim=1, keepdim=True).values
        positions = torch.arange(t).expand(b, t).masked_fill(~is_max, t)
        return positions.min(dim=1).values
    raise ValueError(f"unknown pool {pool!r}")


def encode_text(p, cfg, input_ids):
    """Text tower (no prefix): input_ids [B,T] (T <= contextLength) -> unnormalised features [B,E]."""
    tc = cfg["text"]
    t = input_ids.shape[1]
    x = p["token_embedding.weight"][input_ids] + p["positional_embedding"][:t]
    x = transformer(x, p, "", tc, text_mask(input_ids, tc, x.dtype))
    x = layer_norm(x, p["ln_final.weight"], p["ln_final.bias"])
    x = x[torch.arange(x.shape[0]), pool_index(input_ids, tc["pool"])]
    return x @ p["text_projection"]


# ----------------------------------------------------------------------------- losses

def infonce_loss(img, txt, logit_scale, label_smoothing=0.0):
    """OpenCLIP ClipLoss on normalised embeddings img, txt [N,E]; logit_scale in log space.

    (CE(logits_per_image, arange N) + CE(logits_per_text, arange N)) / 2, where CE with label
    smoothing eps is torch's CrossEntropyLoss(label_smoothing=eps):
    (1 - eps) * nll + eps * mean over classes of -log p.
    """
    logits_per_image = logit_scale.exp() * img @ txt.T
    n = logits_per_image.shape[0]

    def ce(logits):
        logp = torch.log_softmax(logits, dim=-1)
        nll = -logp.diagonal()
        uniform = -logp.mean(dim=-1)
        return ((1.0 - label_smoothing) * nll + label_smoothing * uniform).sum() / n

    return (ce(logits_per_image) + ce(logits_per_image.T)) / 2


def siglip_loss(img, txt, logit_scale, logit_bias):
    """SigLIP: -sum(logsigmoid((2 I - 1) * (exp(s) img @ txt.T + b))) / N."""
    logits = logit_scale.exp() * img @ txt.T + logit_bias
    n = logits.shape[0]
    labels = 2 * torch.eye(n, dtype=logits.dtype) - 1
    return -F.logsigmoid(labels * logits).sum() / n


# ----------------------------------------------------------------------------- parameters

def _block_shapes(prefix, width, mlp):
    return {
        prefix + "ln_1.weight": [width], prefix + "ln_1.bias": [width],
        prefix + "attn.in_proj_weight": [3 * width, width], prefix + "attn.in_proj_bias": [3 * width],
        prefix + "attn.out_proj.weight": [width, width], prefix + "attn.out_proj.bias": [width],
        prefix + "ln_2.weight": [width], prefix + "ln_2.bias": [width],
        prefix + "mlp.c_fc.weight": [mlp, width], prefix + "mlp.c_fc.bias": [mlp],
        prefix + "mlp.c_proj.weight": [width, mlp], prefix + "mlp.c_proj.bias": [width],
    }


def param_shapes(cfg):
    """Ordered {OpenCLIP parameter name: shape} for a config."""
    vc, tc, e = cfg["vision"], cfg["text"], cfg["embedDim"]
    vw, tw, ps = vc["width"], tc["width"], vc["patchSize"]
    grid = vc["imageSize"] // ps
    shapes = {
        "visual.conv1.weight": [vw, 3, ps, ps],
        "visual.class_embedding": [vw],
        "visual.positional_embedding": [grid * grid + 1, vw],
        "visual.ln_pre.weight": [vw], "visual.ln_pre.bias": [vw],
    }
    for i in range(vc["layers"]):
        shapes.update(_block_shapes(f"visual.transformer.resblocks.{i}.", vw, int(vw * vc["mlpRatio"])))
    shapes.update({"visual.ln_post.weight": [vw], "visual.ln_post.bias": [vw], "visual.proj": [vw, e],
                   "token_embedding.weight": [tc["vocabSize"], tw],
                   "positional_embedding": [tc["contextLength"], tw]})
    for i in range(tc["layers"]):
        shapes.update(_block_shapes(f"transformer.resblocks.{i}.", tw, int(tw * tc["mlpRatio"])))
    shapes.update({"ln_final.weight": [tw], "ln_final.bias": [tw], "text_projection": [tw, e],
                   "logit_scale": []})
    if cfg["initLogitBias"] is not None:
        shapes["logit_bias"] = []
    return shapes


# Standard deviation of the random init per parameter-name suffix (first match wins). This is a
# test init chosen so that activations are non-trivial, not a training init.
_INIT_STD = [
    ("conv1.weight", 0.2), ("class_embedding", 0.05), ("positional_embedding", 0.1),
    ("token_embedding.weight", 0.2), ("in_proj_weight", 0.25), ("out_proj.weight", 0.1),
    ("c_fc.weight", 0.1), ("c_proj.weight", 0.07), ("proj", 0.15), ("projection", 0.15),
]


def init_params(cfg, generator):
    """Random float32 test init: LayerNorm weights 1 + N(0, 0.1), all biases N(0, 0.05),
    matrices/embeddings N(0, std) per _INIT_STD, logit_scale/logit_bias from the config."""
    params = {}
    for name, shape in param_shapes(cfg).items():
        if name == "logit_scale":
            t = torch.tensor(cfg["initLogitScale"])
        elif name == "logit_bias":
            t = torch.tensor(cfg["initLogitBias"])
        elif name.endswith(".weight") and name.split(".")[-2].startswith("ln_"):
            t = 1.0 + 0.1 * torch.randn(shape, generator=generator)
        elif name.endswith("bias"):
            t = 0.05 * torch.randn(shape, generator=generator)
        else:
            std = next(s for suffix, s in _INIT_STD if name.endswith(suffix))
            t = std * torch.randn(shape, generator=generator)
        params[name] = t.to(torch.float32)
    return params

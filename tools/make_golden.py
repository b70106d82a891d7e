"""Generate align's golden fixtures from tools/reference_clip.py (deterministic).

    /usr/bin/python3 tools/make_golden.py --out align-models/src/test/resources/golden

Writes, per model case, <case>/config.json, <case>/weights.safetensors,
<case>/inputs.safetensors and <case>/expected.json, plus the loss-only losses.json.
Before writing, it checks the reference against torch's own modules (see validate()).
See tools/README.md for the fixture format.
"""
import argparse
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

import reference_clip as ref

# ----------------------------------------------------------------------------- safetensors

_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32"}
_TORCH = {v: k for k, v in _DTYPES.items()}


def write_safetensors(path, tensors):
    """Minimal safetensors writer: u64 LE header length N, JSON header (names sorted, padded with
    spaces so 8 + N is a multiple of 8), then the little-endian data contiguously in name order."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_safetensors(path):
    """Minimal safetensors reader (used to check the writer round-trips)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, h in header.items():
        b, e = h["data_offsets"]
        buf = bytearray(raw[8 + n + b:8 + n + e])
        out[name] = torch.frombuffer(buf, dtype=_TORCH[h["dtype"]]).reshape(h["shape"]).clone()
    return out


# ----------------------------------------------------------------------------- cases

CASES = {
    "clip_causal": {
        "schemaVersion": 1, "embedDim": 24, "initLogitScale": math.log(1 / 0.07), "initLogitBias": None,
        "vision": {"imageSize": 16, "patchSize": 4, "width": 32, "layers": 2, "heads": 4, "mlpRatio": 4.0,
                   "activation": "GELU", "patchDropout": 0.0},
        "text": {"contextLength": 8, "vocabSize": 64, "width": 32, "layers": 2, "heads": 4, "mlpRatio": 4.0,
                 "activation": "GELU", "causal": True, "pool": "ARGMAX", "padId": 0},
    },
    "align_bidir": {
        "schemaVersion": 1, "embedDim": 16, "initLogitScale": math.log(10.0), "initLogitBias": -10.0,
        "vision": {"imageSize": 12, "patchSize": 4, "width": 32, "layers": 2, "heads": 4, "mlpRatio": 4.0,
                   "activation": "QUICK_GELU", "patchDropout": 0.0},
        "text": {"contextLength": 6, "vocabSize": 64, "width": 32, "layers": 2, "heads": 4, "mlpRatio": 4.0,
                 "activation": "QUICK_GELU", "causal": False, "pool": "FIRST", "padId": 0},
    },
}
SEEDS = {"clip_causal": 1234, "align_bidir": 5678}
# Tokens per row (start + body + EOT); one row fills the whole context.
ROW_LENGTHS = {"clip_causal": [4, 8, 2, 6, 3], "align_bidir": [3, 6, 2, 5, 4]}
SIGLIP_BIAS_WITHOUT_PARAM = -10.0
BATCH = 5


def make_inputs(cfg, lengths, gen):
    """pixel_values [B,3,H,W] ~ N(0,1) float32; input_ids [B,T] int64 CLIP-like rows:
    1 (start), ids in [2, V-2], V-1 (EOT, the largest id), then pad 0."""
    size, t, v = cfg["vision"]["imageSize"], cfg["text"]["contextLength"], cfg["text"]["vocabSize"]
    pixels = torch.randn(len(lengths), 3, size, size, generator=gen, dtype=torch.float32)
    ids = torch.zeros(len(lengths), t, dtype=torch.int64)
    for row, n in enumerate(lengths):
        body = torch.randint(2, v - 1, (n - 2,), generator=gen)
        ids[row, :n] = torch.cat([torch.tensor([1]), body, torch.tensor([v - 1])])
    return {"pixel_values": pixels, "input_ids": ids}


def forward(cfg, params, inputs, dtype):
    """Run the model with params/inputs cast to dtype; returns features, embeds and losses."""
    p = {k: v.to(dtype) for k, v in params.items()}
    img_f = ref.encode_image(p, cfg, inputs["pixel_values"].to(dtype))
    txt_f = ref.encode_text(p, cfg, inputs["input_ids"])
    img, txt = ref.l2_normalize(img_f), ref.l2_normalize(txt_f)
    s = p["logit_scale"]
    b = p.get("logit_bias", torch.tensor(SIGLIP_BIAS_WITHOUT_PARAM, dtype=dtype))
    losses = {"infonce": ref.infonce_loss(img, txt, s),
              "infonce_ls0.1": ref.infonce_loss(img, txt, s, label_smoothing=0.1),
              "siglip": ref.siglip_loss(img, txt, s, b)}
    return {"image_features": img_f, "text_features": txt_f,
            "image_embeds": img, "text_embeds": txt, "losses": losses}


def to_json(out, extra_losses=None):
    """Tensors of a forward() result as plain float lists (float32 values are exact in a double)."""
    block = {k: out[k].double().tolist() for k in ("image_features", "text_features", "image_embeds", "text_embeds")}
    block["losses"] = {k: v.item() for k, v in out["losses"].items()}
    block["losses"].update(extra_losses or {})
    return block


def grads_f64(cfg, params, inputs, loss_name):
    """Gradient of the chosen loss w.r.t. every parameter, whole model in float64."""
    p = {k: v.to(torch.float64).requires_grad_(True) for k, v in params.items()}
    out = forward(cfg, p, inputs, torch.float64)
    out["losses"][loss_name].backward()
    return {k: v.grad for k, v in p.items()}


def make_case(name, out_dir):
    cfg = CASES[name]
    torch.manual_seed(SEEDS[name])
    gen = torch.Generator().manual_seed(SEEDS[name])
    params = ref.init_params(cfg, gen)
    inputs = make_inputs(cfg, ROW_LENGTHS[name], gen)

    case_dir = os.path.join(out_dir, name)
    os.makedirs(case_dir, exist_ok=True)
    with open(os.path.join(case_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    for fname, tensors in (("weights.safetensors", params), ("inputs.safetensors", inputs)):
        path = os.path.join(case_dir, fname)
        write_safetensors(path, tensors)
        back = read_safetensors(path)
        assert back.keys() == tensors.keys()
        assert all(torch.equal(back[k], tensors[k]) for k in tensors), f"round trip failed: {path}"

    out64 = forward(cfg, params, inputs, torch.float64)
    out32 = forward(cfg, params, inputs, torch.float32)
    extra = {} if "logit_bias" in params else {"siglip_bias": SIGLIP_BIAS_WITHOUT_PARAM}
    f64, f32 = to_json(out64, extra), to_json(out32, extra)

    grad_loss = "siglip" if "logit_bias" in params else "infonce"
    grads = grads_f64(cfg, params, inputs, grad_loss)
    # Every element of every gradient, F64 (the Java test compares all of them, not just norms).
    path = os.path.join(case_dir, "grads.safetensors")
    write_safetensors(path, grads)
    back = read_safetensors(path)
    assert all(torch.equal(back[k], grads[k]) for k in grads), f"round trip failed: {path}"
    diff = {k: (out32[k].double() - out64[k]).abs().max().item() for k in ("image_embeds", "text_embeds")}
    diff["losses"] = max(abs(f32["losses"][k] - f64["losses"][k]) for k in f64["losses"])

    expected = {
        "case": name,
        "note": "Top-level image_embeds, text_embeds and losses are the float64 run of the float32 "
                "weights/inputs (identical to expected_f64); expected_f32 is the float32 run. "
                "grad_* are float64 gradients of losses[grad_loss].",
        "logit_scale": params["logit_scale"].item(),
        "logit_bias": params["logit_bias"].item() if "logit_bias" in params else None,
        "image_embeds": f64["image_embeds"],
        "text_embeds": f64["text_embeds"],
        "losses": f64["losses"],
        "grad_loss": grad_loss,
        "grad_norms": {k: g.norm().item() for k, g in grads.items()},
        "grad_samples": {k: g.flatten()[:3].tolist() for k, g in grads.items()},
        "grad_samples_last": {k: g.flatten()[-3:].tolist() for k, g in grads.items()},
        "float32_vs_float64_max_abs_diff": diff,
        "expected_f64": f64,
        "expected_f32": f32,
    }
    with open(os.path.join(case_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"{name}: losses {f64['losses']}  f32-vs-f64 {diff}")


# ----------------------------------------------------------------------------- loss-only fixture

def make_losses(out_dir, n=7, e=5, seed=42):
    """losses.json: fixed normalised float64 embeddings; per (s, b) setting, each loss's value and
    its float64 gradients w.r.t. image_embeds, text_embeds, logit_scale (and logit_bias for siglip).
    The embeddings are leaves: the gradient does not pass through a normalisation."""
    gen = torch.Generator().manual_seed(seed)
    img = ref.l2_normalize(torch.randn(n, e, generator=gen, dtype=torch.float64))
    txt = ref.l2_normalize(torch.randn(n, e, generator=gen, dtype=torch.float64))
    settings = []
    for s0, b0 in ((math.log(1 / 0.07), -10.0), (2.3, -3.1)):
        entry = {"logit_scale": s0, "logit_bias": b0}
        for name in ("infonce", "infonce_ls0.1", "siglip"):
            I, T = img.clone().requires_grad_(True), txt.clone().requires_grad_(True)
            s = torch.tensor(s0, dtype=torch.float64, requires_grad=True)
            b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
            if name == "siglip":
                loss = ref.siglip_loss(I, T, s, b)
            else:
                loss = ref.infonce_loss(I, T, s, label_smoothing=0.1 if name.endswith("0.1") else 0.0)
            loss.backward()
            entry[name] = {"loss": loss.item(), "grad_image_embeds": I.grad.tolist(),
                           "grad_text_embeds": T.grad.tolist(), "grad_logit_scale": s.grad.item()}
            if name == "siglip":
                entry[name]["grad_logit_bias"] = b.grad.item()
        settings.append(entry)
    doc = {"note": "Loss-only fixture, float64. logit_bias is used by siglip only.",
           "n": n, "e": e, "image_embeds": img.tolist(), "text_embeds": txt.tolist(), "settings": settings}
    with open(os.path.join(out_dir, "losses.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


# ----------------------------------------------------------------------------- validation

def _torch_attention(x, in_w, in_b, out_w, out_b, heads, mask=None):
    """ref.attention's contract implemented with F.multi_head_attention_forward."""
    b, t, w = x.shape
    if mask is not None:  # additive, broadcastable to [B,h,T,T] -> [B*h,T,T]
        mask = mask.expand(b, heads, t, t).reshape(b * heads, t, t)
    xt = x.transpose(0, 1)
    out, _ = F.multi_head_attention_forward(xt, xt, xt, w, heads, in_w, in_b, None, None, False, 0.0,
                                            out_w, out_b, training=False, need_weights=False,
                                            attn_mask=mask)
    return out.transpose(0, 1)


def validate():
    """Check the reference against torch's own implementations in float64."""
    gen = torch.Generator().manual_seed(7)
    d = torch.float64
    b, t, w, h = 3, 6, 16, 4
    x = torch.randn(b, t, w, generator=gen, dtype=d)
    in_w, in_b = 0.3 * torch.randn(3 * w, w, generator=gen, dtype=d), torch.randn(3 * w, generator=gen, dtype=d)
    out_w, out_b = 0.3 * torch.randn(w, w, generator=gen, dtype=d), torch.randn(w, generator=gen, dtype=d)
    ids = torch.tensor([[1, 5, 63, 0, 0, 0], [1, 2, 3, 4, 5, 63], [1, 63, 0, 0, 0, 0]])
    causal = torch.nn.Transformer.generate_square_subsequent_mask(t).to(d)
    pad = ids == 0  # torch's key_padding_mask: True = ignore
    xt = x.transpose(0, 1)
    for mask, kpm in ((None, None), (ref.text_mask(ids, {"causal": True}, d), None),
                      (ref.text_mask(ids, {"causal": False, "padId": 0}, d), pad)):
        want, _ = F.multi_head_attention_forward(
            xt, xt, xt, w, h, in_w, in_b, None, None, False, 0.0, out_w, out_b, training=False,
            need_weights=False, key_padding_mask=kpm,
            attn_mask=causal if (mask is not None and kpm is None) else None)
        got = ref.attention(x, in_w, in_b, out_w, out_b, h, mask)
        assert (got - want.transpose(0, 1)).abs().max() < 1e-12, "attention != torch MHA"

    lw, lb = torch.randn(w, generator=gen, dtype=d), torch.randn(w, generator=gen, dtype=d)
    assert (ref.layer_norm(x, lw, lb) - F.layer_norm(x, (w,), lw, lb, 1e-5)).abs().max() < 1e-12
    assert (ref.activation("GELU")(x) - F.gelu(x)).abs().max() < 1e-12
    assert (ref.l2_normalize(x) - F.normalize(x, dim=-1)).abs().max() < 1e-15
    assert torch.equal(ref.pool_index(torch.tensor([[1, 9, 3, 9], [4, 2, 0, 0]]), "ARGMAX"), torch.tensor([1, 0]))

    # Whole towers with torch's MHA in place of ref.attention.
    for name, cfg in CASES.items():
        g = torch.Generator().manual_seed(SEEDS[name])
        params = ref.init_params(cfg, g)
        inputs = make_inputs(cfg, ROW_LENGTHS[name], g)
        mine = forward(cfg, params, inputs, d)
        saved, ref.attention = ref.attention, _torch_attention
        try:
            theirs = forward(cfg, params, inputs, d)
        finally:
            ref.attention = saved
        for k in ("image_embeds", "text_embeds"):
            assert (mine[k] - theirs[k]).abs().max() < 1e-12, f"{name} {k}: tower != torch MHA tower"

    # Losses against torch's CrossEntropyLoss / BCE-with-logits.
    n, e = 7, 5
    img = F.normalize(torch.randn(n, e, generator=gen, dtype=d), dim=-1)
    txt = F.normalize(torch.randn(n, e, generator=gen, dtype=d), dim=-1)
    s, bias = torch.tensor(2.3, dtype=d), torch.tensor(-3.1, dtype=d)
    labels = torch.arange(n)
    for eps in (0.0, 0.1):
        ce = torch.nn.CrossEntropyLoss(label_smoothing=eps)
        logits = s.exp() * img @ txt.T
        want = (ce(logits, labels) + ce(logits.T, labels)) / 2
        assert abs(ref.infonce_loss(img, txt, s, eps) - want) < 1e-12, "infonce != CrossEntropyLoss"
    want = F.binary_cross_entropy_with_logits(s.exp() * img @ txt.T + bias, torch.eye(n, dtype=d),
                                              reduction="sum") / n
    assert abs(ref.siglip_loss(img, txt, s, bias) - want) < 1e-12, "siglip != BCE with logits"
    print("validation passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="output directory (the golden/ folder)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    validate()
    os.makedirs(args.out, exist_ok=True)
    for name in CASES:
        make_case(name, args.out)
    make_losses(args.out)


if __name__ == "__main__":
    main()

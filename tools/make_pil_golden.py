#!/usr/bin/env python3
"""Golden values of OpenCLIP's image preprocessing from Pillow + torchvision itself.

Writes align-data/src/test/resources/golden/pil_transform.json: for a few small images drawn by a
formula (so the Java test draws the same pixels), the bytes of PIL's bicubic resize
(Image.resize(size, BICUBIC)) and the uint8 output of OpenCLIP's eval transform before ToTensor
(Resize(S, BICUBIC) + CenterCrop(S)) and of torchvision's resized_crop (the training crop).
Run with Debian's /usr/bin/python3 (PIL 9.4, torchvision 0.14); the output is deterministic.

  /usr/bin/python3 tools/make_pil_golden.py --out align-data/src/test/resources/golden
"""
import argparse
import json
import os

from PIL import Image
from torchvision import transforms
from torchvision.transforms import functional as F


def draw(w, h, seed):
    """The test image: r, g, b of pixel (x, y) from a formula of (x, y, seed)."""
    img = Image.new("RGB", (w, h))
    px = img.load()
    for y in range(h):
        for x in range(w):
            px[x, y] = ((x * 37 + y * 11 + seed * 53) % 256,
                        (x * x * 3 + y * 29 + seed * 7) % 256,
                        ((x ^ y) * 19 + seed * 101) % 256)
    return img


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    cases = []
    # (width, height, seed, resize to (w, h)): shrink by non-integer factors, strong shrink,
    # enlarge, one side only
    for w, h, seed, tw, th in [(17, 11, 1, 7, 5), (40, 31, 2, 9, 6), (5, 4, 3, 13, 9),
                               (23, 9, 4, 23, 4), (12, 19, 5, 5, 19), (64, 48, 6, 3, 2)]:
        out = draw(w, h, seed).resize((tw, th), Image.BICUBIC)
        cases.append({"kind": "resize", "width": w, "height": h, "seed": seed,
                      "outWidth": tw, "outHeight": th, "rgb": list(out.tobytes())})
    for w, h, seed, s in [(37, 23, 7, 8), (20, 45, 8, 7), (8, 8, 9, 8), (9, 30, 10, 6)]:
        t = transforms.Compose([transforms.Resize(s, interpolation=transforms.InterpolationMode.BICUBIC),
                                transforms.CenterCrop(s)])
        out = t(draw(w, h, seed))
        cases.append({"kind": "center", "width": w, "height": h, "seed": seed, "size": s,
                      "rgb": list(out.tobytes())})
    for w, h, seed, box, s in [(30, 20, 11, (3, 5, 17, 11), 6), (25, 25, 12, (0, 0, 25, 25), 9)]:
        i, j, bh, bw = box[1], box[0], box[3], box[2]
        out = F.resized_crop(draw(w, h, seed), i, j, bh, bw, [s, s],
                             transforms.InterpolationMode.BICUBIC)
        cases.append({"kind": "crop", "width": w, "height": h, "seed": seed,
                      "box": list(box), "size": s, "rgb": list(out.tobytes())})
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "pil_transform.json"), "w") as f:
        json.dump({"pillow": Image.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()

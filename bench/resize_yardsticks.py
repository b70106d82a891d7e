"""How far other accepted 224-px preprocessing paths are from OpenCLIP's PIL one, per 8-bit level.

OpenCLIP's evaluation transform is PIL's bicubic Resize(224) of the shorter side, then
CenterCrop(224). align's exact mode reproduces it; its fast mode (ImageTransform.Mode.FAST)
decodes large JPEGs at 1/2-1/8 in the DCT domain first. To judge that difference, this script
measures two paths OpenCLIP users already run, against the same PIL reference, on every *.jpg of
a folder (bench/make-photos writes the photo set):

  torchvision-tensor   torchvision's Resize on a uint8 tensor with antialias=True (the tensor and
                       GPU path; its default from torchvision 0.17 on)
  pil-draft-gapG       Pillow's own DCT-domain shortcut, as Image.thumbnail uses it: draft() to
                       the smallest 1/2-1/8 scale whose shorter side stays >= G x 224, then the
                       same bicubic resize (G = 1 reduces as much as align's fast mode)

Prints one line per path: mean, 99th percentile and max |difference| in 8-bit levels, and the
share of values that differ. Use /usr/bin/python3 (Debian's PIL, torch and torchvision).

  /usr/bin/python3 bench/resize_yardsticks.py PHOTOS
"""

import glob
import os
import sys

import numpy as np
import torch
from PIL import Image
from torchvision.transforms import InterpolationMode
from torchvision.transforms import functional as F

SIZE = 224


def reference(path):
    img = Image.open(path).convert("RGB")
    return np.asarray(F.center_crop(F.resize(img, SIZE, InterpolationMode.BICUBIC), SIZE))


def tensor_path(path):
    t = torch.from_numpy(np.asarray(Image.open(path).convert("RGB")).copy()).permute(2, 0, 1)
    out = F.center_crop(F.resize(t, SIZE, InterpolationMode.BICUBIC, antialias=True), SIZE)
    return out.permute(1, 2, 0).numpy()


def draft_path(path, gap):
    img = Image.open(path)
    w, h = img.size
    short = min(w, h)
    img.draft("RGB", (int(w * gap * SIZE / short) + 1, int(h * gap * SIZE / short) + 1))
    target = (SIZE, int(SIZE * h / w)) if w <= h else (int(SIZE * w / h), SIZE)
    return np.asarray(F.center_crop(img.convert("RGB").resize(target, Image.BICUBIC), SIZE))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    files = sorted(glob.glob(os.path.join(sys.argv[1], "*.jpg")))
    if not files:
        sys.exit("no *.jpg in " + sys.argv[1])
    torch.set_num_threads(1)
    refs = [reference(f).astype(np.int32) for f in files]
    paths = {"torchvision-tensor": tensor_path}
    for gap in (1, 2):
        paths["pil-draft-gap%d" % gap] = lambda f, g=gap: draft_path(f, g)
    for name, fn in paths.items():
        d = np.concatenate([np.abs(fn(f).astype(np.int32) - r).ravel() for f, r in zip(files, refs)])
        print("%-20s %d images: mean %.2f levels, p99 %d, max %d, differing %.1f%%"
              % (name, len(files), d.mean(), np.percentile(d, 99), d.max(), 100 * (d > 0).mean()))


if __name__ == "__main__":
    main()

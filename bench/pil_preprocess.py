#!/usr/bin/env python3
"""OpenCLIP's 224-px evaluation preprocessing with PIL + torchvision, timed per core.

What an OpenCLIP user runs for every image (open_clip.transform.image_transform(224,
is_train=False)): PIL decodes the bytes, then Resize(224, BICUBIC) of the shorter side,
CenterCrop(224), convert("RGB"), ToTensor() and Normalize(OpenAI mean, std). This script times that
on one core (torch.set_num_threads(1), CPU time of the process, so load from other processes on a
shared machine changes little), per format, over every *.jpg / *.png of a folder
(bench/make-photos writes the photo set), and writes what it computed, for parity checks:

  --out FILE.safetensors   per image NAME.EXT: "NAME.EXT" float32 [3, 224, 224] (the normalised
                           tensor) and "NAME.EXT:u8" uint8 [224, 224, 3] (the resized, cropped
                           pixels before ToTensor)

Prints one JSON object. Use /usr/bin/python3 (Debian's PIL and torchvision).
"""

import argparse
import glob
import io
import json
import os
import statistics
import struct
import sys
import time

import torch
from PIL import Image
from torchvision import transforms

MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)


def busy_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]


def self_ticks():
    with open("/proc/self/stat") as f:
        s = f.read()
    fields = s[s.rfind(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def write_safetensors(path, tensors):
    """The safetensors format by hand (no dependency): u64 header size, JSON header, raw data."""
    header, blobs, offset = {}, [], 0
    for name, (dtype, shape, data) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("photos", help="folder of .jpg and .png files")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--repeats", type=int, default=5, help="timed passes over the folder")
    ap.add_argument("--out", default=None, help="write PIL's outputs here (safetensors)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    resize_crop = transforms.Compose([
        transforms.Resize(args.size, interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(args.size)])
    to_tensor = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])

    def preprocess(data):
        img = resize_crop(Image.open(io.BytesIO(data)))
        return to_tensor(img.convert("RGB"))

    import torchvision
    result = {"tool": "PIL %s + torchvision %s" % (Image.__version__, torchvision.__version__),
              "size": args.size, "threads": 1, "repeats": args.repeats}
    saved = {}
    for ext in ("jpg", "png"):
        files = sorted(glob.glob(os.path.join(args.photos, "*." + ext)))
        if not files:
            continue
        blobs = [open(f, "rb").read() for f in files]
        for f, b in zip(files, blobs):                     # warm-up, and the parity outputs
            name = os.path.basename(f)
            img = resize_crop(Image.open(io.BytesIO(b))).convert("RGB")
            t = to_tensor(img)
            saved[name] = ("F32", (3, args.size, args.size), t.numpy().astype("<f4").tobytes())
            saved[name + ":u8"] = ("U8", (args.size, args.size, 3), img.tobytes())
        per_pass, decode = [], []
        b0, s0, w0 = busy_ticks(), self_ticks(), time.perf_counter()
        for _ in range(args.repeats):
            c0 = time.process_time()
            for b in blobs:
                preprocess(b)
            per_pass.append(time.process_time() - c0)
        wall = time.perf_counter() - w0
        hz = os.sysconf("SC_CLK_TCK")
        foreign = max(0, (busy_ticks() - b0) - (self_ticks() - s0)) / hz / wall
        c0 = time.process_time()
        for b in blobs:
            Image.open(io.BytesIO(b)).convert("RGB")
        decode_ms = (time.process_time() - c0) * 1000 / len(blobs)
        med = statistics.median(per_pass)
        result[ext] = {"images": len(blobs),
                       "megapixels": round(sum(Image.open(io.BytesIO(b)).size[0] *
                                               Image.open(io.BytesIO(b)).size[1] for b in blobs) / 1e6, 3),
                       "images_per_cpu_second": round(len(blobs) / med, 1),
                       "ms_per_image_cpu": round(med * 1000 / len(blobs), 3),
                       "decode_ms_per_image_cpu": round(decode_ms, 3),
                       "foreign_cores": round(foreign, 2)}
    if args.out:
        write_safetensors(args.out, saved)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())

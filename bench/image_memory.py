"""Peak memory of one image upload: each worst case runs in a fresh process, as a worker would.

Usage: .venv/bin/python bench/image_memory.py [--markdown]
For each case the child process sets Django up, builds the image (kept out of the figure),
then records its peak resident memory (VmHWM) before and after `prepare_image` and the tracemalloc peak of the call.
Worst cases at the pixel limit: a flat-colour PNG (tiny file, the most pixels per byte) in
RGBA and RGB, a 16-bit greyscale PNG, a CMYK and an RGB JPEG, an RGBA WebP, a GIF.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, tracemalloc


def peak_kb():
    # VmHWM: this process's peak resident memory since exec (ru_maxrss would carry the parent's).
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


import django
django.setup()
from bulletins import images
from django.core.files.uploadedfile import SimpleUploadedFile

path = sys.argv[1]
with open(path, "rb") as file:
    data = file.read()
upload = SimpleUploadedFile(path, data)
before = peak_kb()
tracemalloc.start()
try:
    prepared = images.prepare_image(upload)
    result = f"{prepared.width}×{prepared.height}"
except images.ImageRejected as error:
    result = "refused: " + str(error)
_, traced = tracemalloc.get_traced_memory()
tracemalloc.stop()
after = peak_kb()
print(json.dumps({"file_bytes": len(data), "before_kb": before, "after_kb": after, "traced": traced, "result": result}))
"""


def cases(max_pixels):
    from bulletins.images import JPEG_REDUCTION

    side = int(max_pixels**0.5)
    jpeg_side = int((max_pixels * JPEG_REDUCTION**2) ** 0.5)
    return [
        ("PNG", "RGBA", side, side),
        ("PNG", "RGB", side, side),
        ("PNG", "I;16", side, side),
        ("JPEG", "CMYK", side, side),
        ("JPEG", "RGB", side, side),
        ("JPEG", "RGB", jpeg_side, jpeg_side),
        ("JPEG", "CMYK", jpeg_side, jpeg_side),
        ("JPEG", "RGB", 8000, 6000),
        ("WEBP", "RGBA", int((max_pixels // 5) ** 0.5), int((max_pixels // 5) ** 0.5)),
        ("GIF", "P", side, side),
        ("PNG", "RGBA", 6300, 6300),
    ]


def make_file(case, directory):
    from PIL import Image

    fmt, mode, width, height = case
    colour = {"I;16": 30000, "L": 128, "P": 3}.get(mode, (40, 120, 200, 255)[: len(mode)])
    path = Path(directory) / f"{fmt}-{mode.replace(';', '')}-{width}x{height}.{fmt.lower()}"
    Image.new(mode, (width, height), colour).save(path, format=fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    return path


def measure(case, directory):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "wenming.settings.dev")}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(make_file(case, directory))], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings.dev")
    import django

    django.setup()
    from bulletins import images

    limit = images.max_pixels()
    print(f"Pixel limit {limit:,}; peak RSS of a fresh process around prepare_image():")
    print("| 图片 | 文件大小 | 结果 | 进程峰值（前 → 后） | 增加 | tracemalloc 峰值 |")
    print("|---|---|---|---|---|---|")
    directory = tempfile.mkdtemp()
    for case in cases(limit):
        fmt, mode, width, height = case
        got = measure(case, directory)
        grew = (got["after_kb"] - got["before_kb"]) / 1024
        print(
            f"| {fmt} {mode} {width}×{height} | {got['file_bytes'] / 1024:.0f} KB | {got['result'][:40]} "
            f"| {got['before_kb'] / 1024:.0f} → {got['after_kb'] / 1024:.0f} MB | {grew:.0f} MB "
            f"| {got['traced'] / 2**20:.1f} MB |"
        )
    shutil.rmtree(directory)


if __name__ == "__main__":
    main()

"""Benchmark: building the image-folder cache (training/image_cache.py) of 200,000 images.

1. Generates an image folder in a temporary folder under /tmp: 10 classes of
   hand-drawn-like PNG strokes (lines and ellipses at random, 56-96 px).
2. Builds its cache with a pool of one process per core: prints images/s, the CPU
   time of the pool's processes against the wall time (about 2.0 = both cores busy)
   and each core's busy share from /proc/stat while it runs.
3. Rebuilds with no change (target <= 5 s: only the files' sizes and mtimes are read).
4. Touches 1 % of the files and rebuilds: only those are preprocessed again.

Everything it writes is removed at the end.

    nice -n 10 .venv/bin/python tests/benchmarks/bench_image_cache.py [--images N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from training.image_cache import build_cache  # noqa: E402


def _draw(args: tuple[str, int, int]) -> None:
    """Write ``count`` PNGs of class folder ``folder``, seeded by ``seed``."""
    from PIL import Image, ImageDraw

    folder, count, seed = args
    rng = np.random.default_rng(seed)
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        size = int(rng.integers(56, 97))
        image = Image.new("L", (size, size), 255)
        draw = ImageDraw.Draw(image)
        for _ in range(int(rng.integers(1, 4))):
            box = sorted(rng.integers(4, size - 4, 2)), sorted(rng.integers(4, size - 4, 2))
            if rng.random() < 0.5:
                draw.line([box[0][0], box[1][0], box[0][1], box[1][1]], fill=0, width=5)
            else:
                draw.ellipse(
                    [box[0][0], box[1][0], box[0][1] + 2, box[1][1] + 2], outline=0, width=4
                )
        image.save(os.path.join(folder, f"{seed}-{i:06d}.png"))


def generate(root: Path, images: int) -> float:
    """Write ``images`` PNGs in 10 class folders; returns the seconds it took."""
    started = time.perf_counter()
    per_task = max(1, min(2000, images // 10))
    tasks = [
        (str(root / f"class{t % 10}"), min(per_task, images - t * per_task), t)
        for t in range(-(-images // per_task))
    ]
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(_draw, tasks))
    return time.perf_counter() - started


def _cpu_times() -> list[tuple[int, int]]:
    """(busy, total) jiffies of each core, from /proc/stat."""
    out = []
    with open("/proc/stat") as stat:
        for line in stat:
            if line.startswith("cpu") and line[3].isdigit():
                values = [int(v) for v in line.split()[1:]]
                idle = values[3] + values[4]
                out.append((sum(values) - idle, sum(values)))
    return out


class PoolWatch:
    """Samples our child processes (the pool) from /proc: CPU seconds and the cores
    each one ran on, to show that both cores did the work."""

    def __init__(self) -> None:
        self.cpu: dict[int, float] = {}
        self.cores: dict[int, set[int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me, tick = os.getpid(), os.sysconf("SC_CLK_TCK")
        while not self._stop.wait(0.2):
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/stat") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) != me:  # fields[1] is the parent pid
                    continue
                pid = int(entry.name)
                self.cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
                self.cores.setdefault(pid, set()).add(int(fields[36]))

    def __enter__(self) -> PoolWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=200_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-cache-", dir="/tmp"))
    try:
        folder, cache = work / "images", work / "cache"
        seconds = generate(folder, args.images)
        print(f"Generated {args.images:,} PNG images in {seconds:.0f} s ({folder})")

        before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        before_cores = _cpu_times()
        with PoolWatch() as watch:
            report = build_cache(folder, cache, "mnist")
        after_cores = _cpu_times()
        after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        pool_cpu = (after_cpu.ru_utime + after_cpu.ru_stime) - (
            before_cpu.ru_utime + before_cpu.ru_stime
        )
        busy = [
            (b1 - b0) / max(t1 - t0, 1)
            for (b0, t0), (b1, t1) in zip(before_cores, after_cores, strict=True)
        ]
        rate = report.images / report.seconds
        print(f"\nCache build: {report.images:,} images in {report.seconds:.1f} s = "
              f"{rate:,.0f} images/s with {os.cpu_count()} processes")  # fmt: skip
        print(f"  pool CPU time / wall time: {pool_cpu / report.seconds:.2f} "
              f"(2.00 = both cores busy all the time)")  # fmt: skip
        busy_pool = {pid: cpu for pid, cpu in watch.cpu.items() if cpu > 0.1}
        print(f"  pool processes: {len(busy_pool)}, CPU seconds each: "
              + ", ".join(f"{cpu:.1f}" for cpu in busy_pool.values())
              + "; cores they ran on: "
              + str(sorted(set().union(*(watch.cores[p] for p in busy_pool)))))  # fmt: skip
        total = sum(busy_pool.values()) or float("nan")
        print(f"  CPU per image: {total / report.images * 1000:.2f} ms, so "
              f"{report.images / total * os.cpu_count():,.0f} images/s on {os.cpu_count()} "
              "idle cores")  # fmt: skip
        print("  each core's busy share while it ran (all processes on the machine): "
              + ", ".join(f"{b:.0%}" for b in busy))  # fmt: skip
        size = sum(p.stat().st_size for p in cache.iterdir() if p.is_file())
        print(f"  skipped: {len(report.skipped)}; cache size {size / 1e6:.0f} MB")

        again = build_cache(folder, cache, "mnist")
        verdict = "PASS" if again.seconds <= 5 else "FAIL"
        print(f"\nRe-run with no changes: {again.seconds:.2f} s (target <= 5 s: {verdict}); "
              f"up to date: {again.up_to_date}, preprocessed {again.processed}")  # fmt: skip

        files = sorted(folder.rglob("*.png"))[::100]
        for path in files:
            os.utime(path)
        changed = build_cache(folder, cache, "mnist")
        print(f"After touching {len(files):,} files: {changed.seconds:.1f} s, preprocessed "
              f"{changed.processed:,}, reused {changed.reused:,}")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
        print(f"\nRemoved {work}")


if __name__ == "__main__":
    main()

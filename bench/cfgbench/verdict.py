"""The targets and whether the medians meet them."""

from __future__ import annotations

from dataclasses import dataclass

from .report import fmt_s
from .series import Series
from .tools import CFGGUARD, JSONSCHEMA, YAMLLINT


@dataclass
class Target:
    text: str
    value: str
    met: bool | None  # None: not judged


def judge(
    results: dict[str, dict[str, Series]], sizes: list[int], import_s: float, *, quick: bool
) -> list[Target]:
    def series(size: int, tool: str) -> Series | None:
        return results.get(f"{size:,} file{'s' if size != 1 else ''}", {}).get(tool)

    def verdict(ok: bool | None) -> bool | None:
        return None if quick else ok

    out: list[Target] = []
    for size, other, limit, what in (
        (1, JSONSCHEMA, 0.3, f"1 file: cfgguard <= 0.3x {JSONSCHEMA}"),
        (1, YAMLLINT, 1.0, f"1 file: cfgguard <= 1.0x {YAMLLINT}"),
        (200, JSONSCHEMA, 0.25, f"200 files: cfgguard >= 4x faster than {JSONSCHEMA}"),
        (200, YAMLLINT, 0.25, f"200 files: cfgguard >= 4x faster than {YAMLLINT}"),
    ):
        ours, theirs = series(size, CFGGUARD), series(size, other)
        if ours is None or theirs is None:
            out.append(Target(what, "not measured", None))
            continue
        ratio = ours.wall / theirs.wall
        value = (
            f"{ratio:.2f}x ({fmt_s(ours.wall)} vs {fmt_s(theirs.wall)}; "
            f"CPU time {ours.cpu / theirs.cpu:.2f}x)"
        )
        out.append(Target(what, value, verdict(ratio <= limit)))
    # linearity is judged on CPU time: the 10,000-file runs are few and long, so a busy
    # minute on a shared machine moves their wall time more than any other measurement
    big = max(sizes)
    s1, s200, sbig = series(1, CFGGUARD), series(200, CFGGUARD), series(big, CFGGUARD)
    what = (
        f"{big if big > 200 else 10_000:,} files: linear "
        "(marginal per-file CPU time within 1.25x of that at 200)"
    )
    if big > 200 and s1 is not None and s200 is not None and sbig is not None:
        at200 = (s200.cpu - s1.cpu) / 199
        atbig = (sbig.cpu - s1.cpu) / (big - 1)
        wall200 = (s200.wall - s1.wall) / 199
        wallbig = (sbig.wall - s1.wall) / (big - 1)
        value = (
            f"CPU {atbig * 1000:.2f} ms vs {at200 * 1000:.2f} ms per file "
            f"(wall {wallbig * 1000:.2f} vs {wall200 * 1000:.2f} ms; wall / N: "
            f"{sbig.wall / big * 1000:.2f} vs {s200.wall / 200 * 1000:.2f} ms)"
        )
        out.append(Target(what, value, verdict(atbig <= 1.25 * at200)))
    else:
        out.append(Target(what, "not measured", None))
    out.append(
        Target(
            "import cfgguard.cli <= 60 ms (-X importtime)",
            fmt_s(import_s),
            verdict(import_s <= 0.060),
        )
    )
    return out


def print_targets(targets: list[Target], quick: bool) -> None:
    print()
    print("targets" + (" (not judged with --quick)" if quick else ""))
    for target in targets:
        verdict = "-" if target.met is None else "met" if target.met else "NOT MET"
        print(f"  {verdict:<8} {target.text}: {target.value}")

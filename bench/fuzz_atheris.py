#!/usr/bin/env python3
"""Coverage-guided fuzzing of bytes -> findings -> fixes with atheris (libFuzzer).

Not run in CI; tests/hardening/test_fuzz.py is the hypothesis counterpart. Usage (from
the repository root)::

    .venv/bin/pip install atheris
    .venv/bin/python bench/fuzz_atheris.py -max_total_time=300 -dict=bench/.fuzz/yaml.dict \\
        bench/.fuzz/corpus

On first run the corpus directory is seeded with every dialect fixture and bundled
example, and a dictionary of real keys and YAML/OmegaConf scalar traps is written beside
it. Any other libFuzzer flag passes through (``-jobs=2``, ``-runs=100000``...).

Properties, per input: nothing but a one-line ``SourceError`` escapes decoding; checking
and rendering in every format raise nothing; when the input parses, ``--fix`` output
parses too, and fixing it again changes nothing. A crashing input is written by libFuzzer
as ``crash-<sha1>`` in the working directory; replay it with
``.venv/bin/python bench/fuzz_atheris.py crash-<sha1>``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import atheris  # pyright: ignore[reportMissingTypeStubs]

from cfgguard.records import replace

_atheris: Any = atheris

with _atheris.instrument_imports(include=["cfgguard", "yaml"]):
    from cfgguard.check import Options, check_source
    from cfgguard.fix.engine import fix_source
    from cfgguard.report.formats import FORMATS, render
    from cfgguard.report.terminal import Palette
    from cfgguard.rules import RULES
    from cfgguard.source import SourceError, decode
    from cfgguard.yaml.compose import compose

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / ".fuzz"
OPTIONS = Options()
TOKENS = [
    "5e-4", "5.0e-4", "1e5", ".inf", ".nan", "1e400", "no", "yes", "on", "off", "~", "null",
    "'5e-4'", '"32"', "010", "0x1F", "1_000", "!!int", "!!float", "!!bool", "!!binary",
    "!!python/object:", "!custom", "&a", "*a", "<<: *a", "${oc.env:HOME}", "${rank}", "???",
    "---", "...", "- ", ": ", "[", "]", "{", "}", "\t", "\r\n", "\ufeff", "# cfgguard: ignore",
    "# cfgguard: ignore[K001]", "lm_head", "all-linear", "q_proj", "_component_", "_target_",
    "lora_r", "lora_rank", "lora_alpha", "learning_rate", "rl: dpo", "rl: grpo", "adapter: lora",
    "base_model: meta-llama/Llama-3.1-8B-Instruct", "num_generations", "micro_batch_size",
    "gradient_accumulation_steps", "target_modules", "lora_target_modules", "finetuning_type",
    "actor_rollout_ref", "apply_lora_to_output",
]  # fmt: skip


def _parses(text: str) -> bool:
    return not any(p.kind == "syntax" for p in compose(text).problems)


def test_one_input(data: bytes) -> None:
    try:
        source = decode(data, "fuzz.yaml")
    except SourceError as exc:
        message = str(exc)
        if not message.startswith("fuzz.yaml") or "\n" in message:
            raise AssertionError(f"bad SourceError: {message!r}") from None
        return
    findings = check_source(source, OPTIONS)
    for output_format in FORMATS:
        render(output_format, findings, [source.path], RULES, Palette(enabled=False))
    if not _parses(source.text):
        return
    outcome = fix_source(source, OPTIONS, unsafe=True)
    if outcome.error is not None:
        if outcome.text != source.text:
            raise AssertionError("a refused fix changed the text")
        return
    if not _parses(outcome.text):
        raise AssertionError(f"fixed text does not parse:\n{outcome.text}")
    again = fix_source(replace(source, text=outcome.text), OPTIONS, unsafe=True)
    if again.error is not None or again.text != outcome.text:
        raise AssertionError(f"fixing is not idempotent: {again.error}\n{outcome.text}")


def _seed(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    seeds = [*ROOT.glob("tests/fixtures/dialects/*/*.yaml"), *ROOT.glob("examples/*.yaml")]
    for seed in seeds:
        (corpus / f"{seed.parent.name}-{seed.name}").write_bytes(seed.read_bytes())


def _dictionary(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f'"{_escape(token)}"' for token in TOKENS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _escape(token: str) -> str:
    """libFuzzer dictionary syntax: printable ASCII as is, other bytes as \\xNN."""
    return "".join(
        chr(b) if 0x20 <= b < 0x7F and chr(b) not in '"\\' else f"\\x{b:02X}"
        for b in token.encode("utf-8")
    )


def main() -> None:
    _seed(HERE / "corpus")
    _dictionary(HERE / "yaml.dict")
    _atheris.Setup(sys.argv, test_one_input)
    _atheris.Fuzz()


if __name__ == "__main__":
    main()

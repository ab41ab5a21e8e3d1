"""``cfgguard convert``: translation through the canonical config, round trips, listings.

Round trips: for every corpus file and every other dialect, when everything the file
states maps onto the target (nothing "not mapped", nothing "approximated"), converting
there and back gives the same canonical fields, values equal after re-reading with the
source dialect's ``to_canonical`` (``convert/view.py`` says which spellings are
normalised). ``test_unmapped_summary`` prints what does not map between which dialects
(``pytest -s``).
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from cfgguard.cli import main
from cfgguard.convert.command import ConvertError, convert_text, read_back
from cfgguard.helpers.keycheck import unknown_keys
from cfgguard.source import read
from tests.conftest import corpus_dir

DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")
AXOLOTL = (
    "base_model: meta-llama/Llama-3.1-8B-Instruct\n"
    "datasets:\n  - path: mlabonne/FineTome-100k\n    type: chat_template\n"
    "adapter: lora\nlora_r: 32\nlora_alpha: 32\nlora_dropout: 0.05\n"
    "lora_target_linear: true\nlora_target_modules:\n  - lm_head\n"
    "sequence_len: 4096\nmicro_batch_size: 4\ngradient_accumulation_steps: 8\n"
    "num_epochs: 1\noptimizer: adamw_torch_fused\nlr_scheduler: cosine\n"
    "learning_rate: 2.0e-4\nwarmup_ratio: 0.03\nmax_grad_norm: 1.0\nweight_decay: 0.0\n"
    "bf16: true\n"
)


def _round_trip(text: str, path: str, target: str) -> tuple[str, list[str]]:
    """("ok" | "lossy" | "refused", differing fields)."""
    try:
        there = convert_text(text, path, target)
    except ConvertError:
        return "refused", []
    if there.out.unmapped or there.out.approx:
        return "lossy", []
    source = there.source.dialect
    try:
        back = convert_text(there.text, "converted.yaml", source, target)
    except ConvertError:
        return "refused", []  # e.g. a torchtune model whose builder cfgguard cannot name
    again = read_back(back.text, source)
    assert again is not None
    before, after = there.source.view, again.view
    diff = [
        f"{name}: {item.value!r} -> {after[name].value if name in after else None!r}"
        for name, item in before.items()
        if name not in after or after[name].value != item.value
    ]
    return "ok", diff


def _corpus() -> list[Path]:
    root = corpus_dir()
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml"))


def test_round_trips_over_the_corpus() -> None:
    outcomes: collections.Counter[tuple[str, str, str]] = collections.Counter()
    failures: list[str] = []
    for path in _corpus():
        text = read(str(path)).text
        for target in DIALECTS:
            status, diff = _round_trip(text, str(path), target)
            outcomes[(status, path.parent.name, target)] += 1
            if diff:
                failures.append(f"{path.name} -> {target}: {diff}")
    assert failures == []
    ok = sum(n for (status, _, _), n in outcomes.items() if status == "ok")
    # 295 at the time of writing: torchtune 0.6.1, its newest release, has no Qwen3 builder
    assert ok >= 290, outcomes
    pairs = {(src, target) for (status, src, target) in outcomes if status == "ok"}
    for pair in [("axolotl", "trl"), ("axolotl", "llamafactory"), ("torchtune", "trl")]:
        assert pair in pairs


def test_unmapped_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """What does not map, per (source, target) over the corpus; printed for the record."""
    table: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    for path in _corpus():
        text = read(str(path)).text
        for target in DIALECTS:
            try:
                result = convert_text(text, str(path), target)
            except ConvertError:
                continue
            pair = (result.source.dialect, target)
            table[pair].update(name for name, _ in result.out.unmapped)
            table[pair].update(f"{name}~" for name, _ in result.out.approx)
    with capsys.disabled():
        print("\nnot mapped (~ approximated), per source -> target: field count")
        for (source, target), counts in sorted(table.items()):
            listed = ", ".join(f"{k} {v}" for k, v in counts.most_common())
            print(f"  {source} -> {target}: {listed or '-'}")
    assert table[("axolotl", "verl")]["lora_dropout"] > 0  # verl passes no dropout to PEFT
    assert table[("torchtune", "plain")]["num_epochs"] > 0  # the format has no epochs


def test_axolotl_to_llamafactory() -> None:
    result = convert_text(AXOLOTL, "a.yaml", "llamafactory")
    text = result.text
    assert "lora_target: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj,lm_head\n" in text
    assert "lr_scheduler_type: cosine\n" in text
    assert "warmup_steps: 0.03\n" in text  # a float below 1 is a ratio (transformers 5)
    assert "cutoff_len: 4096\n" in text
    assert "dataset: replace_with_your_dataset" in text
    assert "# Not carried (no canonical field): datasets, output_dir" not in text
    assert "# Not carried (no canonical field): datasets\n" in text
    assert result.out.unmapped == []
    assert unknown_keys(text, "llamafactory") == []


def test_defaults_that_differ_are_written() -> None:
    """axolotl's unwritten defaults (lora_dropout 0.0) differ from TRL's (0.05)."""
    text = AXOLOTL.replace("lora_dropout: 0.05\n", "")
    result = convert_text(text, "a.yaml", "trl")
    assert "lora_dropout: 0.0\n" in result.text


@pytest.mark.parametrize("target", ["trl", "llamafactory", "torchtune", "verl", "plain"])
def test_every_target_reads_back(target: str) -> None:
    result = convert_text(AXOLOTL, "a.yaml", target)
    back = read_back(result.text, target)
    assert back is not None
    assert back.view["learning_rate"].value == 2e-4
    assert back.view["lora_rank"].value == 32
    if target != "plain":
        assert unknown_keys(result.text, target) == []


def test_lossy_fields_are_listed_on_top() -> None:
    result = convert_text(AXOLOTL, "a.yaml", "verl")
    header = result.text.split("\n\n", 1)[0]
    assert "# Not mapped: lora_dropout (no verl key)" in header
    assert "# Approximated: target_modules (verl takes one string" in header


@pytest.mark.parametrize(
    ("text", "target", "words"),
    [
        (AXOLOTL.replace("adapter: lora", "rl: dpo\nadapter: lora"), "verl", "no dpo trainer"),
        (AXOLOTL, "axolotl", "already axolotl"),
        (AXOLOTL.replace("Llama-3.1-8B", "Mixtral-8x7B"), "torchtune", "no lora builder"),
        ("a: 1\n", "trl", "not a config"),
    ],
)
def test_refusals(text: str, target: str, words: str) -> None:
    with pytest.raises(ConvertError, match=words):
        convert_text(text, "a.yaml", target)


def test_cli_writes_and_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.yaml"
    source.write_text(AXOLOTL)
    out = tmp_path / "b.yaml"
    assert main(["convert", str(source), "--to", "verl", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Not mapped: lora_dropout" in err
    assert out.read_text() == convert_text(AXOLOTL, str(source), "verl").text
    assert main(["convert", str(source), "--to", "verl", "-o", str(out)]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert main(["convert", str(source), "--to", "trl", "-o", str(out), "--force"]) == 0
    assert main(["check", "--dialect", "trl", str(out)]) in (0, 1)


def test_cli_refusal_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.yaml"
    source.write_text(AXOLOTL.replace("adapter: lora", "rl: dpo\nadapter: lora"))
    assert main(["convert", str(source), "--to", "verl"]) == 2
    assert "verl has no dpo trainer" in capsys.readouterr().err


def test_torchtune_targets_without_a_base_model() -> None:
    source = "adapter: lora\nlora_r: 16\nlora_target_modules: [q_proj, v_proj]\n"
    result = convert_text(source, "a.yaml", "torchtune", "axolotl")  # was a KeyError
    assert ("target_modules", "torchtune's switches name projections, not a regex or union") in (
        result.out.unmapped
    )

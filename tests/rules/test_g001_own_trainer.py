"""G001 in a repository with its own trainer: a group of one is a warning that names it.

Each case builds a small repository (with ``.git``) and runs the CLI from inside it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cfgguard.cli import main

RECIPE = """\
model_name_or_path: Qwen/Qwen2.5-7B
num_generations: 1
learning_rate: 1.0e-6
max_steps: 500
beta: 0.04
"""

OWN_TRAINER = """\
from transformers import Trainer

class Helper:
    pass

class ActorCriticTrainer(Trainer):
    pass
"""

CALLBACK_ONLY = """\
from transformers import TrainerCallback

class Log(TrainerCallback):
    pass
"""


def _g001(tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for name, text in {"recipes/grpo/config.yaml": RECIPE, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        main(["check", "--output-format", "json", "recipes/grpo/config.yaml"])
    finally:
        os.chdir(cwd)
    found = json.loads(capsys.readouterr().out)
    return [(f["line"], f["severity"], f["message"]) for f in found if f["code"] == "G001"]


HEAD = (
    "group size 1 is below 2: with one sample per prompt there is no group to compare: TRL"
    " and axolotl refuse it, verl uses the raw reward as the advantage (no group baseline)"
    " (GRPO Specific / Group Size)"
)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({}, [(2, "error", HEAD)], id="framework-trainer"),
        pytest.param({"src/log.py": CALLBACK_ONLY}, [(2, "error", HEAD)], id="callback-only"),
        pytest.param(
            {"src/ac.py": OWN_TRAINER},
            [
                (
                    2,
                    "warning",
                    HEAD + "; unless the repository's own trainer (ActorCriticTrainer,"
                    " src/ac.py:6) handles a group of one",
                )
            ],
            id="own-trainer",
        ),
        pytest.param(
            {"src/ac.py": OWN_TRAINER, "src/b.py": OWN_TRAINER.replace("ActorCritic", "B")},
            [
                (
                    2,
                    "warning",
                    HEAD + "; unless the repository's own trainer (ActorCriticTrainer,"
                    " src/ac.py:6 and 1 more) handles a group of one",
                )
            ],
            id="two-trainers",
        ),
        pytest.param(
            {
                "verl/setup.py": "",
                "verl/verl/__init__.py": "",
                "verl/verl/version/version": "0.4.1\n",
                "verl/verl/trainer/config/ppo_trainer.yaml": "trainer: {}\n",
                "verl/recipe/prime/trainer.py": OWN_TRAINER,
            },
            [(2, "error", HEAD)],
            id="vendored-checkout-recipe",
        ),
        pytest.param(
            {
                "verl/__init__.py": "",
                "verl/trainer/config/ppo_trainer.yaml": "trainer: {}\n",
                "recipe/trainer.py": OWN_TRAINER,
            },
            [(2, "error", HEAD)],
            id="framework-fork",
        ),
    ],
)
def test_g001_own_trainer(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    expected: list[tuple[int, str, str]],
) -> None:
    assert _g001(tmp_path, capsys, files) == expected

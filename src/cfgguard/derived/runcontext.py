"""The run context: what a config's numbers mean for this run, which every rule can ask.

A number read without its context is a false alarm: a learning rate in a file that
never trains, a duration in a 10-step smoke test, a DPO beta that is really SimPO's
reward scale. ``run_context`` answers, from the canonical config and the model facts:

- ``trains``: does the file train at all (LLaMA-Factory runs ``trainer.train()`` only
  with ``do_train: true``; an explicit ``do_train: false``; verl ``trainer.val_only``);
- ``smoke``: a smoke test, at most ``SMOKE_STEPS`` optimizer steps;
- ``method`` and ``beta``: which method it really is and what its ``beta`` means (a
  KL coefficient for DPO, IPO and KTO; a reward scale for SimPO, CPO's SimPO loss and
  length-normalised DPO; the odds-ratio weight for ORPO);
- ``scale``: the LoRA update scale, ``alpha / r``, or ``alpha / sqrt(r)`` with rsLoRA
  (PEFT ``LoraConfig.use_rslora``), and how much larger the rsLoRA scale is than
  standard LoRA's at the same alpha (``sqrt(r)``): the learning rate's effect scales
  with it;
- ``size_b`` and ``size_class``: the model's parameters (from the model table, else from
  a size written in its name, ``Doge-320M``), with ``"<1B"`` below the reference's rows.

``refine`` runs once per document, before any rule: where the dialect could only guess
the method (TRL, the LLaMA-Factory v1 subcommand, a DPO-family key shared by several
trainers), a method named by the file's path decides (``recipes/x/orpo/config.yaml``).
Rules say in their message what they assumed (``Run.assumed``).
"""

from __future__ import annotations

import math
import re
from typing import TypeVar

from cfgguard.canonical import SHARED_KEY_GUESS, Canonical, Field
from cfgguard.knowledge.models import ModelFacts, size_class
from cfgguard.patterns import Pattern
from cfgguard.records import dataclass, replace

T = TypeVar("T")
SMOKE_STEPS = 20
PATH_NOTE = "method named by the file's path"
TINY = "<1B"

# the loss variants whose `beta` is not DPO's KL coefficient (the D001 table's)
_REWARD_SCALE = frozenset({"simpo", "dpo_norm", "alphapo"})
# DPO's own sigmoid loss and the variants whose beta is DPO's KL coefficient on the same
# scale (TRL DPOConfig.loss_type; LLaMA-Factory pref_loss; KTO's desirable/undesirable)
_KL_LOSSES = frozenset({"sigmoid", "dpo", "kto", "kto_pair", "robust", "bco_pair"})
_PATH_METHODS = {
    "sft": "sft",
    "dpo": "dpo",
    "ipo": "dpo",
    "orpo": "orpo",
    "kto": "kto",
    "simpo": "simpo",
    "cpo": "cpo",
    "grpo": "grpo",
    "ppo": "ppo",
}
_WORDS = re.compile(r"[a-z0-9]+")
_SIZE = Pattern(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)([mb])(?![a-z])")


@dataclass(frozen=True, slots=True)
class Scale:
    """The LoRA update scale: ``alpha / r``, or ``alpha / sqrt(r)`` with rsLoRA."""

    value: float
    rslora: bool
    lr_factor: float  # the scale over standard LoRA's alpha / r at the same alpha
    note: str


@dataclass(frozen=True, slots=True)
class Run:
    trains: bool = True
    trains_note: str = ""
    smoke: bool = False
    smoke_note: str = ""
    method: str | None = None
    beta: str | None = None  # "kl", "reward_scale", "loss_weight" or None (no beta)
    beta_note: str = ""
    scale: Scale | None = None
    size_b: float | None = None
    size_class: str | None = None
    size_note: str = ""

    @property
    def judged(self) -> bool:
        """A real training run: not eval-only, not a smoke test."""
        return self.trains and not self.smoke

    @property
    def tiny(self) -> bool:
        return self.size_class == TINY

    def skip_reason(self) -> str | None:
        """Why hyperparameter ranges do not apply to this run (None: they do)."""
        if not self.trains:
            return self.trains_note
        if self.smoke:
            return self.smoke_note
        return None


def run_context(config: Canonical, model: ModelFacts | None, path: str = "") -> Run:
    trains, trains_note = _trains(config)
    smoke, smoke_note = _smoke(config)
    method = config.method.value if config.method else None
    beta, beta_note = _beta(config, method)
    size_b, size_note = _size(config, model, path)
    return Run(
        trains=trains,
        trains_note=trains_note,
        smoke=smoke,
        smoke_note=smoke_note,
        method=method,
        beta=beta,
        beta_note=beta_note,
        scale=_scale(config),
        size_b=size_b,
        size_class=None if size_b is None else TINY if size_b < 1 else size_class(size_b),
        size_note=size_note,
    )


def _trains(config: Canonical) -> tuple[bool, str]:
    flag = config.trains
    if flag is None or flag.value:
        return True, ""
    return False, f"the file runs no training ({flag.note or flag.key})"


def _smoke(config: Canonical) -> tuple[bool, str]:
    steps = config.max_steps
    if steps is not None and 0 < steps.value <= SMOKE_STEPS:
        return True, f"a smoke test: {steps.key} {steps.value}"
    per_epoch = config.extra.get("max_steps_per_epoch")
    epochs = config.num_epochs
    if per_epoch is not None and isinstance(per_epoch.value, int) and per_epoch.value > 0:
        total = per_epoch.value * (epochs.value if epochs else 1.0)
        if total <= SMOKE_STEPS:
            return True, f"a smoke test: {per_epoch.key} {per_epoch.value}"
    return False, ""


def _beta(config: Canonical, method: str | None) -> tuple[str | None, str]:
    variant = config.loss_variant.value if config.loss_variant else None
    if method == "orpo":
        return "loss_weight", "ORPO's beta weighs the odds-ratio term (lambda), not a KL"
    if method == "simpo" or variant in _REWARD_SCALE:
        what = variant if variant in _REWARD_SCALE else "simpo"
        return "reward_scale", f"{what}: beta scales a length-normalised reward (2-10 by design)"
    if method == "cpo":
        return "reward_scale", "CPO has no reference model: beta scales the policy's log-ratio"
    if method in ("dpo", "kto"):
        if variant and variant not in _KL_LOSSES:  # a variant whose beta has its own scale
            return None, f"loss {variant}: beta is that loss's own parameter, not DPO's KL"
        return "kl", ""
    return None, ""


def _scale(config: Canonical) -> Scale | None:
    if not config.uses_adapter or config.lora_rank is None or config.lora_alpha is None:
        return None
    r, alpha = config.lora_rank.value, config.lora_alpha.value
    if r <= 0:
        return None
    rs = config.use_rslora is not None and config.use_rslora.value
    if rs:
        value = alpha / math.sqrt(r)
        note = f"rsLoRA scale alpha/sqrt(r) = {alpha:g}/sqrt({r}) = {value:.3g}"
        return Scale(value, True, math.sqrt(r), f"{note}, {math.sqrt(r):.3g}x alpha/r")
    return Scale(alpha / r, False, 1.0, f"LoRA scale alpha/r = {alpha:g}/{r} = {alpha / r:.3g}")


def _size(config: Canonical, model: ModelFacts | None, path: str) -> tuple[float | None, str]:
    """The model table's count, else a size in the model's name, else in the file's folders
    (``recipes/Doge2-160M/config.yaml`` trains a model from scratch, the tokenizer named)."""
    if model is not None:
        return model.params_b, f"{model.id}: {model.params_b:g}B parameters"
    names = [config.base_model.value.rstrip("/").rsplit("/", 1)[-1]] if config.base_model else []
    names += reversed(path.replace("\\", "/").split("/")[-3:-1])
    for name in names:
        found = _SIZE.search(name.lower())
        if found is not None:
            number = float(found.group(1))
            size = number / 1000 if found.group(2) == "m" else number
            return size, f"{size:g}B parameters, read from the name '{name}'"
    return None, ""


def path_method(path: str) -> str | None:
    """The one method the file's name (else its nearest folders) names, if any."""
    parts = path.replace("\\", "/").lower().split("/")
    for part in reversed(parts[-4:]):
        named = {_PATH_METHODS[w] for w in _WORDS.findall(part) if w in _PATH_METHODS}
        if len(named) == 1:
            return named.pop()
        if named:
            return None  # the name mentions two methods: no guess
    return None


def guessed(method: Field[str]) -> bool:
    """The dialect could only guess the method: TRL's script, LLaMA-Factory v1's
    subcommand (a default that says so), or a key several trainers share; or the path
    named it. axolotl's and LLaMA-Factory's own defaults (SFT) are not guesses."""
    note = method.note
    if note.startswith(PATH_NOTE) or note.endswith(SHARED_KEY_GUESS):
        return True
    words = ("script", "subcommand", "assumed")
    return method.origin == "default" and any(word in note for word in words)


def refine(config: Canonical, path: str) -> Canonical:
    """The config with the method the path names, where the dialect could only guess."""
    method = config.method
    if method is None:
        return config
    if not guessed(method):
        return config
    named = path_method(path)
    if named is None or named == method.value:
        return config
    note = f"{PATH_NOTE} ({path}); the file alone says {method.value}"
    refined: Field[str] = replace(method, value=named, origin="derived", note=note)
    # defaults were the guessed method's; for the named one the launcher sets them (verl
    # scripts pass algorithm.adv_estimator=grpo with rollout.n): unknown, not judged
    return replace(
        config,
        method=refined,
        learning_rate=_stated(config.learning_rate),
        group_size=_stated(config.group_size),
        temperature=_stated(config.temperature),
        dpo_beta=_stated(config.dpo_beta),
    )


def _stated(value: Field[T] | None) -> Field[T] | None:
    return None if value is None or value.origin == "default" else value


__all__ = [
    "PATH_NOTE",
    "SMOKE_STEPS",
    "TINY",
    "Run",
    "Scale",
    "guessed",
    "path_method",
    "refine",
    "run_context",
]

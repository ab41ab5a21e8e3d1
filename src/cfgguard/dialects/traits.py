"""What a dialect's framework does that rules must know, declared by the dialect.

A rule asks ``ctx.traits`` (the detected dialect's ``Traits``) instead of naming a
framework: each fact says what the framework does (how it counts a batch, what a null
clip norm means, which loader reads the file), so a rule is written once per behaviour
and a new dialect declares its behaviours in its own module. The defaults describe a
framework with none of the special behaviours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from cfgguard.records import dataclass
from cfgguard.yaml.nodes import Mapping

# How gradient clipping is written: max_grad_norm where null turns clipping off
# (transformers TrainingArguments), max_grad_norm where null only leaves it unset, or
# torchtune-style clip_grad_norm (no clipping unless set).
Clipping = Literal["max_grad_norm_null_off", "max_grad_norm_null_unset", "clip_grad_norm"]
# How warmup is written: TrainingArguments' warmup_steps/warmup_ratio (default 0), whole
# warmup_steps exclusive with warmup_ratio, an lr_scheduler section (none: no warmup), or
# only the canonical fields.
Warmup = Literal["training_arguments", "whole_steps", "scheduler_section", "canonical"]
# When evaluation runs: TrainingArguments' eval_strategy, a validation split size with
# evals_per_epoch, a validation dataset with run_val_every_n_steps, or the canonical
# eval_steps (only written when evaluation is on).
EvalSchedule = Literal["eval_strategy", "val_set_size", "val_every_n_steps", "eval_steps"]
# What the loader does with the values it read: a pydantic model converts them; argparse
# defaults (only strings converted); HfArgumentParser.parse_dict dataclasses (unconverted);
# OmegaConf handing values to components as loaded; OmegaConf merged into typed dataclasses
# (converted there, not in _target_ sections).
Conversion = Literal["pydantic", "argparse_defaults", "parse_dict", "components", "dataclasses"]


def _always(root: Mapping) -> bool:
    return True


@dataclass(frozen=True)
class Loader:
    """The framework's loader of the file, with the upstream lines that show it."""

    conversion: Conversion
    source: str  # the loader's code, cited in findings
    hands_on: str  # what happens to a list or mapping given for one value
    checks_booleans: bool = False  # a list for a boolean fails (else it is just true)
    who: str = ""  # who passes a value on, as messages name it
    converted: tuple[str, ...] = ()  # key prefixes converted anyway (a typed section)


@dataclass(frozen=True)
class Rollout:
    """An RL trainer whose batches count prompts: the keys, defaults and where they are."""

    train: tuple[str, str, int]  # canonical extra name, key path, default
    mini: tuple[str, str, int]  # prompts per optimizer update
    note: str  # where the defaults come from
    section: str  # the rollout section (it reads the group size as ``n``)
    actor: str  # the actor section (strategy, sequence parallel, dynamic batch)
    devices: int = 8  # the trainer's GPUs when the file states none


@dataclass(frozen=True)
class Generation:
    """A GRPO trainer configured by TRL's GRPOConfig keys, under ``prefix``."""

    prefix: str = ""
    validated_at_parse: bool = False  # the config's schema checks the batch (no eval keys)


@dataclass(frozen=True)
class Traits:
    # -- batches and steps
    batch_is_whole_step: bool = False  # batch_size is the whole batch of one step
    rollout: Rollout | None = None
    grpo_batch_known: bool = True  # False: the GRPO batch counts prompts or completions
    dataset_list_key: str | None = None  # the dataset cap applies to each dataset listed here
    generation: Generation | None = None
    # -- LoRA targets
    lora_layer_list: bool = False  # an attention-layer list with apply_lora_to_* switches
    lora_spelling: tuple[tuple[str, str], ...] = ()  # module name -> the dialect's name
    all_linear_note: str = ""  # how the dialect spells every Linear layer
    # -- optimizer and schedule
    clipping: Clipping | None = None
    warmup: Warmup = "canonical"
    eval_schedule: EvalSchedule | None = None
    logging_steps_default: int | None = None  # eval_steps' fallback under eval_strategy steps
    # whether the trainer's defaults describe this document (another format: not traced)
    trainer_defaults: Callable[[Mapping], bool] = _always
    # -- checks only one framework's semantics support
    pads_to_sequence_len: bool = False  # pad_to_sequence_len / sample_packing
    dataset_type_fields: bool = False  # datasets[].type reads fixed column keys
    validation_files: tuple[str, str] | None = None  # train and validation file keys
    loader: Loader | None = None  # None: no framework reads the file

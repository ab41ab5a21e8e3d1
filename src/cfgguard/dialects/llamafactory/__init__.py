"""LLaMA-Factory: the YAML read by ``llamafactory-cli train config.yaml`` (hiyouga/LLaMA-Factory).

Detection: ``model_name_or_path`` (shared with TRL) plus LLaMA-Factory's own spellings
(fields of llamafactory 0.9.5 ``src/llamafactory/hparams/*_args.py``): ``stage``,
``finetuning_type``, ``template``, ``cutoff_len``, ``lora_target``, ``lora_rank``,
``pref_beta``/``pref_loss``, ``quantization_bit``, ``plot_loss``, ``max_samples``,
``val_size`` and ``dataset`` as a comma-separated string. Without ``model_name_or_path``
only the unmistakable keys count, one point each. The experimental v1 files
(``USE_V1=1``) are recognised by a scalar ``model:`` plus
``dist_config``/``peft_config``/``train_dataset``/``micro_batch_size``...

Loader profile ``omegaconf``: since 0.9.4 the file is read with ``OmegaConf.load``
(llamafactory 0.9.5 ``src/llamafactory/hparams/parser.py:88-97``, 0.9.4 ``:75``), whose
extra float resolver makes ``5e-4`` a float; duplicate keys are an error. (0.9.3 and
older used ``yaml.safe_load``: 0.9.3 ``src/llamafactory/hparams/parser.py:65``.)

Mapping and defaults: llamafactory 0.9.5 ``src/llamafactory/hparams/*_args.py`` (each
default's note names the line); inherited TrainingArguments defaults from transformers
5.6.0, the newest release 0.9.5 allows (``transformers<=5.6.0``).
"""

from __future__ import annotations

import re
from typing import TypeVar

from cfgguard.canonical import PREFERENCE_METHODS, Canonical, Field, Origin, Targets
from cfgguard.dialects.base import Dialect, KeyReading, Reader, as_bool, as_float, as_int, as_str
from cfgguard.dialects.fields import Key, read_keys
from cfgguard.dialects.targets import names_field, names_in, targets_field
from cfgguard.dialects.training_arguments import training_arguments
from cfgguard.dialects.traits import Loader, Traits
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.yaml.nodes import Mapping, Scalar

T = TypeVar("T")
U = TypeVar("U")


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STAGES = {"pt": "pretrain", "sft": "sft", "rm": "rm", "ppo": "ppo", "dpo": "dpo", "kto": "kto"}
# stage: dpo runs one of these losses (0.9.5 hparams/finetuning_args.py:183).
_PREF_LOSS = {
    "sigmoid": "dpo",
    "hinge": "dpo",
    "ipo": "dpo",
    "kto_pair": "kto",
    "orpo": "orpo",
    "simpo": "simpo",
}
_UNMISTAKABLE = _keys(
    "stage finetuning_type lora_target cutoff_len pref_beta pref_loss plot_loss quantization_bit"
)
_STRONG = _UNMISTAKABLE | {"lora_rank", "max_samples", "val_size"}
_STRONG_IF_TEXT = frozenset({"template", "dataset"})  # torchtune/verl nest mappings there
_V1 = _keys(
    "dist_config peft_config quant_config kernel_config train_dataset "
    "micro_batch_size model_class batching_strategy sample_backend cutoff_len"
)
_MAX_SCORE = 20.0
_TA = "transformers 5.6.0 src/transformers/training_args.py default"
_LF = "llamafactory 0.9.5 src/llamafactory/hparams"
_LORA_DEFAULT = f"{_LF}/finetuning_args.py:464 default finetuning_type lora"
_V1_ARGS = "llamafactory 0.9.5 src/llamafactory/v1/config/training_args.py"


def _is_text(root: Mapping, key: str) -> bool:
    found = root.get(key)
    return found is not None and isinstance(found[1], Scalar) and found[1].value != ""


def detect(root: Mapping) -> float:
    keys = set(root.keys())
    strong = len(keys & _STRONG) + sum(_is_text(root, k) for k in _STRONG_IF_TEXT)
    if _is_text(root, "model_name_or_path") and strong:
        v0 = 2.0 + 2.0 * strong
    else:
        v0 = float(len(keys & _UNMISTAKABLE))
    v1_keys = len(keys & _V1)
    v1 = 2.0 + 2.0 * v1_keys if _is_text(root, "model") and v1_keys else 0.0
    return min(max(v0, v1), _MAX_SCORE)


# -- mapping --------------------------------------------------------------------


def _at(where: Field[U], value: T, note: str, origin: Origin | None = None) -> Field[T]:
    """A field with another value at the same place (e.g. ``pref_loss: orpo`` -> orpo)."""
    return Field(
        value, origin or where.origin, where.key, where.node, where.key_node, where.parent, note
    )


def _stage(v: object) -> str | None:
    s = as_str(v)
    return None if s is None else _STAGES.get(s.strip(), "other")


def _pref_method(r: Reader, stage: Field[str]) -> Field[str]:
    """``stage: dpo`` (v1: the ``dpo`` subcommand) runs the loss ``pref_loss`` names."""
    loss = r.field("pref_loss", as_str)
    variant = _PREF_LOSS.get(loss.value, "other") if loss else "dpo"
    if loss is not None and variant != "dpo":
        return _at(loss, variant, f"dpo with pref_loss: {loss.value}")
    return stage


def _method(r: Reader) -> Field[str]:
    got = r.field("stage", _stage)
    if got is None:
        return r.default("stage", "sft", f"{_LF}/finetuning_args.py:460 default sft")
    return _pref_method(r, got) if got.value == "dpo" else got


def _variant(r: Reader, c: Canonical) -> None:
    if c.method is not None and c.method.value in PREFERENCE_METHODS:
        c.loss_variant = r.field("pref_loss", as_str)


def _trains_v0(r: Reader, c: Canonical) -> None:
    """Every workflow calls ``trainer.train()`` only under ``do_train`` (llamafactory 0.9.5
    ``src/llamafactory/train/sft/workflow.py:120``, ``dpo/workflow.py:80``,
    ``kto/workflow.py:75``); transformers' default is False."""
    flag = r.field("do_train", as_bool)
    if flag is not None:
        note = "do_train: false: LLaMA-Factory evaluates or predicts only"
        c.trains = _at(flag, flag.value, "" if flag.value else note)
    else:
        note = "no do_train: true; LLaMA-Factory trains only under it (0.9.5 sft/workflow.py:120)"
        c.trains = r.default("do_train", False, note)


def _finetuning_type(v: object) -> str | None:
    s = as_str(v)
    return None if s is None else {"lora": "lora", "full": "full"}.get(s.strip(), "other")


def _quantized(r: Reader, path: str) -> bool:
    """4 bits or fewer: QLoRA (8-bit LoRA stays "lora", as axolotl and TRL name it)."""
    bits = r.field(path, as_int)
    return bits is not None and bits.value <= 4


def _targets(r: Reader, path: str, default_note: str | None) -> Field[Targets] | None:
    entry = r.entry(path)
    if entry is None:
        if default_note is None:
            return None
        return r.default(path, Targets(all_linear=True), default_note)
    found = names_in(entry.value, r, split_commas=True)
    if any(name == "all-linear" for name, _ in found):
        # Only `all` is special here (0.9.5 misc.py:28-52); `all-linear` reaches PEFT as a list
        # entry that names no module.
        names = Targets(names=tuple(n for n, _ in found), name_nodes=tuple(x for _, x in found))
        return Field(names, "file", path, entry.value, entry.key, entry.parent)
    return targets_field(entry, r, split_commas=True, all_values=("all",))


def _lora_v0(r: Reader, c: Canonical) -> None:
    read_keys(r, c, _LORA_KEYS)
    c.target_modules = _targets(
        r,
        "lora_target",
        f"{_LF}/finetuning_args.py:81 default 'all' (every Linear but lm_head)",
    )
    # additional_target: comma-separated modules PEFT trains fully (0.9.5 adapter.py:241-249)
    c.modules_to_save = names_field(r, "additional_target", split_commas=True)
    alpha = r.field("lora_alpha", as_float)
    if (alpha is not None and alpha.value) or c.lora_rank is None:
        c.lora_alpha = alpha
    else:  # `lora_alpha = lora_alpha or 2 * lora_rank`
        c.lora_alpha = r.default(
            "lora_alpha",
            2.0 * c.lora_rank.value,
            f"{_LF}/finetuning_args.py:69,568: lora_alpha defaults to 2 x lora_rank",
        )


def _lora_v1(r: Reader, c: Canonical) -> None:
    # The v1 PEFT plugin's defaults were not traced: only what the file says.
    c.lora_rank = r.field("peft_config.r", as_int)
    c.lora_alpha = r.field("peft_config.lora_alpha", as_float)
    c.lora_dropout = r.field("peft_config.lora_dropout", as_float)
    c.target_modules = _targets(r, "peft_config.target_modules", None)
    c.use_rslora = r.field("peft_config.use_rslora", as_bool)  # 0.9.5 v1 model_plugins/peft.py:176


def _precision(r: Reader, bf16_default: bool) -> Field[str] | None:
    for key, mode in (("pure_bf16", "bf16"), ("bf16", "bf16"), ("fp16", "fp16")):
        flag = r.field(key, as_bool)
        if flag is not None and flag.value:
            return _at(flag, mode, "")
    off = r.field("bf16", as_bool)
    if off is not None:
        return _at(off, "fp32", "bf16: false and no fp16: fp32")
    if bf16_default:
        return r.default("bf16", "bf16", f"{_V1_ARGS}:56-57 bf16 default True")
    return r.default("bf16", "fp32", f"bf16 and fp16 absent: {_TA} False for both")


# The fields LLaMA-Factory reads from one key each: both formats (_COMMON_KEYS), the v0
# format convert writes (_V0_KEYS; _TA: transformers' TrainingArguments, which its
# TrainingArguments extend), v0's LoRA and preference arguments
_CUTOFF = f"{_LF}/data_args.py:46-47 (v1 training_args.py:36)"
_COMMON_KEYS = (
    Key(
        "max_seq_len",
        "cutoff_len",
        as_int,
        2048,
        f"{_LF}/data_args.py:46-47 (v1 training_args.py:36): 2048",
    ),
    Key("max_steps", "max_steps", as_int),
    Key("warmup_ratio", "warmup_ratio", as_float),
    Key("warmup_steps", "warmup_steps", as_float),
)
_V0_KEYS = (
    Key("base_model", "model_name_or_path", as_str),
    Key("learning_rate", "learning_rate", as_float, 5e-5, f"{_TA} 5e-5"),
    *training_arguments(_TA),
    Key("rope_scaling", "rope_scaling", as_str),
    Key("dataset_size", "max_samples", as_int),
)
_LORA_KEYS = (
    Key("lora_rank", "lora_rank", as_int, 8, f"{_LF}/finetuning_args.py:77 default 8"),
    Key("lora_dropout", "lora_dropout", as_float, 0.0, f"{_LF}/finetuning_args.py:73 default 0.0"),
    Key("use_rslora", "use_rslora", as_bool),  # 0.9.5 hparams/finetuning_args.py:99
)
_PREF_KEYS = (
    Key("dpo_beta", "pref_beta", as_float, 0.1, f"{_LF}/finetuning_args.py:171 default 0.1"),
)


def _common(r: Reader, c: Canonical) -> None:
    read_keys(r, c, _COMMON_KEYS)


def _v0(r: Reader, c: Canonical) -> None:
    read_keys(r, c, _V0_KEYS)
    method = c.method = _method(r)
    kind = r.field_or_default("finetuning_type", _finetuning_type, "lora", _LORA_DEFAULT)
    if kind is not None and kind.value == "lora" and _quantized(r, "quantization_bit"):
        base = _LORA_DEFAULT + "; " if kind.origin == "default" else ""
        kind = _at(kind, "qlora", base + "lora with quantization_bit <= 4 is QLoRA")
    c.adapter = kind
    if c.uses_adapter:
        _lora_v0(r, c)
    if method.value in PREFERENCE_METHODS:
        read_keys(r, c, _PREF_KEYS)
    c.precision = _precision(r, bf16_default=False)
    _variant(r, c)
    _trains_v0(r, c)


# v1 fields only the dpo subcommand reads: LLaMA-Factory main after 0.9.5 (0.9.5's v1 has no
# DPO trainer: v1/launcher.py:149-150 raises NotImplementedError)
_V1_PREF_KEYS = ("pref_loss", "pref_beta", "pref_ftx", "simpo_gamma", "dpo_label_smoothing")


def _v1_method(r: Reader) -> Field[str]:
    """v1 picks the trainer by subcommand (``llamafactory-cli dpo``, 0.9.5 launcher.py:144-153); a
    preference key or a ``train_dataset`` named for DPO says which one the file is for."""
    why = "LLaMA-Factory v1 picks the method by CLI subcommand (0.9.5 v1/launcher.py:144-153)"
    for key in _V1_PREF_KEYS:
        found = r.entry(key)
        if found is not None:
            note = f"{why}; {key}"
            dpo = Field("dpo", "derived", key, found.value, found.key, found.parent, note)
            return _pref_method(r, dpo)
    data = r.field("train_dataset", as_str)
    if data is not None and "dpo" in re.findall(r"[a-z0-9]+", data.value.lower()):
        return _at(data, "dpo", f"{why}; train_dataset {data.value}", "derived")
    return r.default("", "sft", f"{why}; assumed sft")


def _v1(r: Reader, c: Canonical) -> None:
    """The experimental v1 schema (``src/llamafactory/v1/config/*.py``)."""
    c.base_model = r.field("model", as_str)
    c.method = _v1_method(r)
    name = r.field("peft_config.name", as_str)
    if name is None:
        c.adapter = r.default("peft_config", "full", "LLaMA-Factory v1: no peft_config -> full")
    else:
        kind = "lora" if name.value == "lora" else "other"
        if kind == "lora" and _quantized(r, "quant_config.quantization_bit"):
            kind = "qlora"
        c.adapter = _at(name, kind, "")
    if c.uses_adapter:
        _lora_v1(r, c)
    c.learning_rate = r.field_or_default(
        "learning_rate", as_float, 1e-4, f"{_V1_ARGS}:40-41 default 1e-4"
    )
    c.micro_batch_size = r.field_or_default(
        "micro_batch_size", as_int, 1, f"{_V1_ARGS}:28-29 default 1"
    )
    c.num_epochs = r.field_or_default(
        "num_train_epochs", as_float, 3.0, f"{_V1_ARGS}:44-45 default 3"
    )
    c.max_grad_norm = r.field_or_default(
        "max_grad_norm", as_float, 1.0, f"{_V1_ARGS}:52-53 default 1.0"
    )
    c.precision = _precision(r, bf16_default=True)
    if c.method.value in PREFERENCE_METHODS:
        c.dpo_beta = r.field_or_default(
            "pref_beta",
            as_float,
            0.1,
            "LLaMA-Factory v1 pref_beta 0.1 (after 0.9.5: no v1 DPO there)",
        )
    _variant(r, c)


def to_canonical(root: Mapping) -> Canonical:
    r = Reader(root, "omegaconf")
    c = Canonical()
    if not root.get("model_name_or_path") and _is_text(root, "model"):
        _v1(r, c)
    else:
        _v0(r, c)
    _common(r, c)
    return c


def _train_parser(root: Mapping, config: Canonical) -> tuple[str, ...]:
    return ("train",)


def _v0_format(root: Mapping) -> bool:
    return root.get("model_name_or_path") is not None  # v1 files have another format


# ``llamafactory-cli train`` reads its hparams dataclasses (``hparams/parser.py``), the
# TrainingArguments among them a transformers Seq2SeqTrainingArguments subclass
KEYS = KeyReading(
    KeySource("llamafactory", "HfArgumentParser", dependencies=("transformers",)),
    parsers=_train_parser,
    applies=_v0_format,
)
LOADER = Loader(
    "parse_dict",
    "llamafactory 0.9.4 llamafactory/hparams/parser.py:75 (OmegaConf.load; 0.9.3 :65"
    " yaml.safe_load), :90 (HfArgumentParser.parse_dict: values unconverted)",
    "LLaMA-Factory hands it on to its dataclasses unconverted, and they fail on it",
)
# transformers TrainingArguments semantics (v0 files); max_samples caps each dataset
TRAITS = Traits(
    dataset_list_key="dataset",
    all_linear_note="LLaMA-Factory spells every Linear layer `lora_target: all`",
    clipping="max_grad_norm_null_off",
    warmup="training_arguments",
    eval_schedule="eval_strategy",
    logging_steps_default=500,  # transformers TrainingArguments' logging_steps
    trainer_defaults=_v0_format,
    loader=LOADER,
)
DIALECT = Dialect(
    "llamafactory",
    "omegaconf",
    detect,
    to_canonical,
    title="LLaMA-Factory",
    keys=KEYS,
    traits=TRAITS,
    writes="LLAMAFACTORY",
    fields=(*_V0_KEYS, *_COMMON_KEYS, *_LORA_KEYS, *_PREF_KEYS),
    package=__name__,
)

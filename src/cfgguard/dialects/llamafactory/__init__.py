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

from cfgguard.canonical import Canonical
from cfgguard.dialects.base import Dialect, KeyReading
from cfgguard.dialects.llamafactory.detect import detect
from cfgguard.dialects.traits import Loader, Traits
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.yaml.nodes import Mapping

__all__ = ["DIALECT", "KEYS", "LOADER", "TRAITS", "detect"]


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
    package=__name__,
    title="LLaMA-Factory",
    keys=KEYS,
    traits=TRAITS,
)

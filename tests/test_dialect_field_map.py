"""Each dialect's field map (``Dialect.fields``, or per trainer ``Dialect.layouts``): keys
of real canonical fields or declared extras, read as ``to_canonical`` reads them and
written by ``convert`` to the same key."""

from __future__ import annotations

import importlib.util

import pytest

from cfgguard.canonical import EXTRAS, Canonical
from cfgguard.convert.command import writers
from cfgguard.dialects import BY_NAME, NAMES
from cfgguard.dialects.base import Reader, as_float, as_int
from cfgguard.dialects.fields import Key, Layout, key_for, layout_for, read_keys
from cfgguard.records import fields
from tests.dialect_helpers import root_of

CANONICAL = {f.name for f in fields(Canonical)} - {"extra"}


def _maps(dialect: str) -> list[tuple[Key, ...]]:
    """The dialect's one map, or each trainer's."""
    d = BY_NAME[dialect]
    return [d.fields] if d.fields else [layout.keys for layout in d.layouts]


@pytest.mark.parametrize("dialect", NAMES)
def test_every_mapped_field_is_a_canonical_field_or_extra_once(dialect: str) -> None:
    for keys in _maps(dialect):
        mapped = [k.field for k in keys]
        assert [f for f in mapped if f not in CANONICAL | EXTRAS] == []
        assert len(mapped) == len(set(mapped))


def test_extras_are_no_canonical_fields() -> None:
    assert not CANONICAL & EXTRAS


@pytest.mark.parametrize("dialect", NAMES)
def test_a_dialect_has_one_map_or_layouts(dialect: str) -> None:
    d = BY_NAME[dialect]
    assert bool(d.fields) != bool(d.layouts)


@pytest.mark.parametrize("dialect", NAMES)
def test_convert_has_a_writer_for_every_mapped_field(dialect: str) -> None:
    handlers, _ = writers(dialect)
    for keys in _maps(dialect):
        assert [k.field for k in keys if k.field not in handlers] == []


def test_layout_for_takes_the_one_naming_the_method_else_the_catch_all() -> None:
    rl = Layout("the RL trainer", frozenset({"grpo"}), ())
    sft = Layout("the SFT trainer", frozenset(), ())
    assert layout_for((rl, sft), "grpo") is rl
    assert layout_for((rl, sft), "sft") is sft
    assert layout_for((rl, sft), None) is sft


def test_read_keys_puts_an_extra_in_extra() -> None:
    keys = (Key("train_batch_size", "data.train_batch_size", as_int),)
    config = Canonical()
    read_keys(Reader(root_of("data:\n  train_batch_size: 64\n"), "yaml11"), config, keys)
    assert config.extra["train_batch_size"].value == 64
    config = Canonical()
    read_keys(Reader(root_of("data: {}\n"), "yaml11"), config, keys)
    assert config.extra == {}


def test_a_default_goes_to_the_layout_whose_section_the_file_has() -> None:
    keys = (Key("lora_rank", "model.lora_rank", as_int, 8, "b.py:1 8", also=("policy.lora_rank",)),)
    config = Canonical()
    read_keys(Reader(root_of("policy:\n  lora_alpha: 16\n"), "yaml11"), config, keys)
    assert config.lora_rank is not None
    assert (config.lora_rank.value, config.lora_rank.origin) == (8, "default")
    assert (config.lora_rank.key, config.lora_rank.parent is not None) == ("policy.lora_rank", True)
    config = Canonical()
    read_keys(Reader(root_of("other: 1\n"), "yaml11"), config, keys)
    assert config.lora_rank is not None
    assert (config.lora_rank.key, config.lora_rank.parent) == ("model.lora_rank", None)


def test_read_keys_gives_the_value_or_the_cited_default() -> None:
    keys = (
        Key("weight_decay", "weight_decay", as_float),
        Key("max_grad_norm", "max_grad_norm", as_float, 1.0, "upstream.py:3 1.0"),
    )
    config = Canonical()
    read_keys(Reader(root_of("weight_decay: 0.1\n"), "yaml11"), config, keys)
    assert config.weight_decay is not None
    assert (config.weight_decay.value, config.weight_decay.origin) == (0.1, "file")
    assert config.max_grad_norm is not None
    assert (config.max_grad_norm.value, config.max_grad_norm.origin) == (1.0, "default")
    assert key_for(keys, "max_grad_norm") == "max_grad_norm"
    assert key_for(keys, "lora_rank") is None


def test_read_keys_takes_the_layout_the_file_uses() -> None:
    keys = (
        Key("micro_batch_size", "batch_size", as_int, also=("training.batch_size",)),
        Key("max_steps", "num_steps", as_int, 100, "upstream.py:9 100", also=("run.num_steps",)),
    )
    config = Canonical()
    read_keys(Reader(root_of("training:\n  batch_size: 4\n"), "yaml11"), config, keys)
    assert config.micro_batch_size is not None
    assert (config.micro_batch_size.value, config.micro_batch_size.key) == (
        4,
        "training.batch_size",
    )
    assert config.max_steps is not None
    assert (config.max_steps.value, config.max_steps.origin) == (100, "default")
    config = Canonical()
    read_keys(Reader(root_of("run:\n  num_steps:\n"), "yaml11"), config, keys)
    assert config.max_steps is None  # written without a value: no default either


PACKAGE_MODULES = ("detect", "field_map", "read", "writing", "init_writer", "convert_writer")


@pytest.mark.parametrize("dialect", NAMES)
def test_a_dialect_is_one_package_with_its_writers(dialect: str) -> None:
    """detection, field map, reading, how it is written and both writers, found through
    the declaration."""
    d = BY_NAME[dialect]
    assert d.package == f"cfgguard.dialects.{dialect}"
    for name in PACKAGE_MODULES:
        assert importlib.util.find_spec(f"{d.package}.{name}") is not None, name
    assert callable(d.writer("init").render)
    assert isinstance(d.writer("convert").WRITERS, dict)
    assert callable(d.writer("convert").placeholders)

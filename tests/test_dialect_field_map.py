"""Each dialect's field map (``Dialect.fields``): keys of real canonical fields, read as
``to_canonical`` reads them and written by ``convert`` to the same key."""

from __future__ import annotations

import pytest

from cfgguard.canonical import Canonical
from cfgguard.convert.command import WRITERS
from cfgguard.dialects import BY_NAME, NAMES
from cfgguard.dialects.base import Reader, as_float, as_int
from cfgguard.dialects.fields import Key, key_for, read_keys
from cfgguard.records import fields
from tests.dialect_helpers import root_of

CANONICAL = {f.name for f in fields(Canonical)}


@pytest.mark.parametrize("dialect", NAMES)
def test_every_mapped_field_is_a_canonical_field_once(dialect: str) -> None:
    mapped = [k.field for k in BY_NAME[dialect].fields]
    assert [f for f in mapped if f not in CANONICAL] == []
    assert len(mapped) == len(set(mapped))


@pytest.mark.parametrize("dialect", NAMES)
def test_convert_has_a_writer_for_every_mapped_field(dialect: str) -> None:
    handlers, _ = WRITERS[dialect]
    assert [k.field for k in BY_NAME[dialect].fields if k.field not in handlers] == []


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

"""The frameworks a repository can target, by the names pins and imports use for them."""

from __future__ import annotations

import re

from cfgguard.patterns import Pattern

# PyPI names (PEP 503 normalised), in the order results are listed
KNOWN: tuple[str, ...] = (
    "transformers",
    "trl",
    "peft",
    "axolotl",
    "llamafactory",
    "torchtune",
    "verl",
)

# Other spellings that mean the same distribution. LLaMA-Factory is on PyPI as
# ``llamafactory`` (its setup.py: ``name="llamafactory"``); repositories also write the GitHub
# name ``LLaMA-Factory`` (normalised ``llama-factory``), mostly before a git URL.
ALIASES: dict[str, str] = {"llama-factory": "llamafactory"}

# Import names of the packages whose argument classes cfgguard knows, and the distribution
# each belongs to. ``alignment`` is alignment-handbook (not on PyPI; installed from GitHub).
FRAMEWORK_MODULES: dict[str, str] = {
    "transformers": "transformers",
    "trl": "trl",
    "peft": "peft",
    "axolotl": "axolotl",
    "llamafactory": "llamafactory",
    "torchtune": "torchtune",
    "verl": "verl",
}
ALIGNMENT_MODULE = "alignment"
ALIGNMENT_PACKAGE = "alignment-handbook"

# A cheap test that a file may name a known package at all (no parsing otherwise)
MENTION = Pattern(r"transformers|trl|peft|axolotl|llama[-_.]?factory|torchtune|verl", re.IGNORECASE)

# A framework class whose subclass is an argument class: a ``...Config`` / ``...Arguments``
# class, but not a model's configuration or a quantization config (not parser input)
_ARGUMENT_CLASS = Pattern(r"(?:Config|Arguments|Args)$")
_NOT_ARGUMENT_CLASS = Pattern(r"^Pre[Tt]rainedConfig$|^GenerationConfig$|Quantization|BitsAndBytes")


def argument_class_name(name: str) -> bool:
    return bool(_ARGUMENT_CLASS.search(name)) and not _NOT_ARGUMENT_CLASS.search(name)


_SEPARATORS = re.compile(r"[-_.]+")


def normalise(name: str) -> str:
    """PEP 503 normalisation, then the aliases: ``LLaMA_Factory`` -> ``llamafactory``."""
    plain = _SEPARATORS.sub("-", name).lower()
    return ALIASES.get(plain, plain)


def known(name: str) -> str:
    """The known package ``name`` spells, or ``""``."""
    plain = normalise(name)
    return plain if plain in KNOWN else ""

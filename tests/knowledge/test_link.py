"""``newest_accepted``: precomputed by the build from the committed data (drift-tested)."""

from __future__ import annotations

import os

import pytest

from cfgguard.knowledge.build.link import newest_accepted
from cfgguard.knowledge.releases import available, load_data, package

NAMES = sorted(available())


@pytest.mark.parametrize("name", NAMES)
def test_newest_accepted_matches_the_data(name: str) -> None:
    datas = {n: load_data(n) for n in NAMES}
    assert newest_accepted(datas[name], datas) == datas[name]["newest_accepted"], (
        "run: python -c 'from cfgguard.knowledge.build.__main__ import link; link()'"
    )


def test_newest_llamafactory_takes_transformers_5_6() -> None:
    lf = package("llamafactory")
    assert lf is not None
    assert lf.releases[lf.newest] == "0.9.5"
    assert lf.newest_accepted_at(lf.newest)["transformers"] == "5.6.0"


def test_key_sets_live_in_their_own_files() -> None:
    verl = load_data("verl")
    assert "actor_rollout_ref.rollout.n" in verl["keys"]["ppo_trainer"]
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "src", "cfgguard", "knowledge")
    assert os.path.isfile(os.path.join(folder, "data", "releases", "verl", "k.ppo_trainer.json"))


def test_help_texts_are_apart_and_read_on_demand() -> None:
    trl = package("trl")
    assert trl is not None
    assert "help" not in trl.fields("SFTConfig")["max_length"][-1].attrs
    assert trl.help("SFTConfig", "max_length")
    assert load_data("trl")["fields"]["SFTConfig"]["max_length"][-1][2]["help"]


@pytest.mark.parametrize("name", NAMES)
def test_writing_the_data_back_gives_the_same_files(name: str, tmp_path: object) -> None:
    """The split files round-trip: read whole, written again, nothing changes."""
    from cfgguard.knowledge.build import __main__ as build

    out = str(tmp_path)
    original = build.OUT
    build.OUT = out
    try:
        data = load_data(name)
        data.pop("owners", None)
        build.write(name, data)
    finally:
        build.OUT = original
    for folder, _, files in os.walk(out):
        for file in files:
            rel = os.path.relpath(os.path.join(folder, file), out)
            with (
                open(os.path.join(out, rel), encoding="utf-8") as mine,
                open(os.path.join(original, rel), encoding="utf-8") as committed,
            ):
                assert mine.read() == committed.read(), rel

"""What the build precomputes from the committed data (drift-tested): ``newest_accepted``,
each package's parsed type texts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cfgguard.knowledge.build.__main__ import parsed_types
from cfgguard.knowledge.build.link import newest_accepted
from cfgguard.knowledge.pytypes import json_types
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


@pytest.mark.parametrize("name", NAMES)
def test_parsed_types_match_the_parser(name: str) -> None:
    # a check reads these instead of parsing; a changed parser must be rerun over the data
    assert parsed_types(load_data(name)) == load_data(name)["types"], (
        "run: python -c 'from cfgguard.knowledge.build.__main__ import link; link()'"
    )


def test_a_check_reads_types_from_the_table_and_parses_only_new_texts() -> None:
    trl = package("trl")
    assert trl is not None
    assert trl.annotation("Optional[int]") == (["integer", "null"], ["integer", "null"], "")
    assert json_types("Optional[int]", package="trl") == {"integer", "null"}
    assert trl.annotation("Optional[MyOwnLocalEnum]") is None  # a repository's own class
    assert json_types("Optional[MyOwnLocalEnum]", True, "trl") == {"string", "null"}


def test_a_text_the_table_lacks_is_parsed_in_a_fresh_process() -> None:
    # the parser is imported on demand: this must work before anything else imported it
    code = (
        "from cfgguard.knowledge.pytypes import json_types, enum_name;"
        "import sys; assert 'cfgguard.knowledge.typeparse' not in sys.modules;"
        "print(sorted(json_types('Optional[OwnMode]', True, 'trl')), enum_name('OwnMode | str'))"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "['null', 'string'] OwnMode\n"), done.stderr

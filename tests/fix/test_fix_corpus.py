"""--fix over the real corpus: injected mistakes are fixed in place and nowhere else."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

from cfgguard.check import Options, analyse, check_source
from cfgguard.cli import main
from cfgguard.fix.engine import allowed, fix_source
from cfgguard.source import Source, read
from tests.conftest import corpus_dir, corpus_files
from tests.fix.corpus_inject import injections


def _changed_outside(before: str, after: str, span: tuple[int, int]) -> int:
    """Characters of ``before`` changed outside ``span`` (0 when every change is inside).

    The changed region is what lies between the longest common prefix and suffix.
    """
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    start, end = prefix, len(before) - suffix
    if start == end == len(before) and before == after:
        return 0
    return max(0, span[0] - start) + max(0, end - span[1])


def _has_fix(text: Source, code: str, span: tuple[int, int]) -> bool:
    """The injected mistake is reported, with a fix, where it was injected."""
    for f in check_source(text, Options(select=frozenset({code}))):
        if f.fix is not None:
            return True
    del span
    return False


def test_injected_mistakes_are_fixed_in_place() -> None:
    files = corpus_files() or [corpus_dir()]  # corpus_dir() skips/fails if absent
    tried: Counter[str] = Counter()
    for path in files:
        source = read(str(path))
        _, analyses = analyse(source, Options())
        for analysis in analyses[:1]:
            for inj in injections(source.text, analysis):
                injected = Source(source.path, inj.text, source.bom)
                if _has_fix(source, inj.code, inj.span):
                    continue  # the file already carries a fixable finding of that code
                if not _has_fix(injected, inj.code, inj.span):
                    continue  # e.g. a typo in a key that decides the dialect
                tried[inj.kind] += 1
                options = Options(select=frozenset({inj.code}))
                outcome = fix_source(injected, options, unsafe=True)
                where = f"{path.name}: {inj.kind}"
                assert outcome.error is None, (where, outcome.error)
                assert _changed_outside(inj.text, outcome.text, inj.span) == 0, where
                if inj.restores:
                    assert outcome.text == source.text, where
                fixed = Source(source.path, outcome.text, source.bom)
                assert fix_source(fixed, options, unsafe=True).text == outcome.text, where
                # the injected finding is gone: as many of that code as the original had
                before = check_source(source, options)
                after = check_source(fixed, options)
                assert len(after) == len(before), where
    # the sweep must have exercised both kinds on a good part of the corpus
    assert tried["typo"] >= 150, tried
    assert tried["lr-level"] >= 40, tried


def test_fix_leaves_files_with_nothing_fixable_byte_identical(tmp_path: Path) -> None:
    corpus = corpus_dir()
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    files = sorted(p for p in copy.rglob("*") if p.suffix in (".yaml", ".yml"))
    for p in files:
        p.chmod(0o644)  # the shared corpus may be read-only; --fix refuses read-only files
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    fixable = {
        p for p in files if any(allowed(f, False) for f in check_source(read(str(p)), Options()))
    }
    main(["check", "--fix", "--output-format", "json", str(copy)])
    for p in files:
        same = hashlib.sha256(p.read_bytes()).hexdigest() == before[p]
        assert same != (p in fixable), p.name

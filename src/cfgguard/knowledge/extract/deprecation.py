"""Reading a framework's own deprecation texts: which keys they retire, and for what.

Frameworks say it in prose, in a field's help (``"Deprecated, use `max_length`
instead."``) or in a warning a method emits (``"`max_seq_length` is deprecated and will
be removed in version 0.20.0. Use `max_length` instead."``). Keys are recognised as code
spans (backticks or quotes, ``--`` prefixes dropped) or bare snake_case words; only names
the caller knows as keys count, so prose never becomes a key.

- ``subjects(text, keys)``: the keys a text says are deprecated: those named right before
  the word "deprecated" in its sentence (only "is", "and", "argument", ... between), unless
  a code span that is no key opens the sentence (``"using `EvaluationStrategy` for
  `evaluation_strategy` is deprecated"`` retires a value, not the key), else the key right
  after it (``"Using deprecated `--per_gpu_train_batch_size`"``).
- ``replacement(text, keys, itself)``: the first other key named, from the word
  "deprecated" on, in a sentence that names a substitute ("instead", "in favor of",
  "replaced by", "renamed", "alias", "preferred"). A span with a value (`` `--optim adafactor` ``,
  `` `max_steps=total/k` ``) is no one-to-one rename and names no replacement.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

LIMIT = 240
_WORD = re.compile(r"deprecat", re.IGNORECASE)
_SPAN = re.compile(
    r"`([^`\n]{1,80})`|'([A-Za-z_-][\w.\-]{0,60})'|\"([A-Za-z_-][\w.\-]{0,60})\""
    r"|(?<![\w`'\"-])-{0,2}([A-Za-z_]\w*_\w*)"
)
# words that name a substitute (a sentence with only "use ..." may be advice for another
# tool: "you should now use the `dtype` argument in the vLLM server configuration")
_CUE = re.compile(
    r"\b(instead|in favou?r of|replaced (by|with)|renamed|alias|prefer\w*|superseded)\b",
    re.IGNORECASE,
)
# what may stand between a retired key and "deprecated": "`a` and `b` are deprecated",
# "The `x` argument is deprecated", "using `x` is now deprecated"
_FILLER = re.compile(
    r"^[\s,]*((is|are|was|were|has|have|been|now|the|and|or|argument|arguments|parameter|"
    r"parameters|option|options|field|fields|flag|flags|key|keys|setting|settings)[\s,]*)*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_AFTER = 25  # how far after "deprecated" a key still is its subject


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def says_deprecated(text: str) -> bool:
    return _WORD.search(text) is not None


def excerpt(text: str) -> str:
    """The sentence that says "deprecated" and the next one (where the advice usually is)."""
    parts = sentences(text)
    for index, sentence in enumerate(parts):
        if _WORD.search(sentence):
            out = " ".join(parts[index : index + 2])
            return out if len(out) <= LIMIT else out[: LIMIT - 3] + "..."
    return ""


def _spans(text: str) -> Iterator[tuple[int, str, bool]]:
    """(offset, name, quoted) for each code span or snake_case word, in order. A span
    that sets a value (`` `--optim adafactor` ``, `` `loss_type='nll'` ``) names no key
    on its own: it is about a value, so its name is ``""``."""
    for match in _SPAN.finditer(text):
        quoted = match.group(4) is None
        raw = next(g for g in match.groups() if g is not None).strip().lstrip("-")
        yield match.start(), "" if re.search(r"[\s=]", raw) else raw, quoted


def subjects(text: str, keys: Collection[str]) -> tuple[str, ...]:
    for sentence in sentences(text):
        word = _WORD.search(sentence)
        if word is None:
            continue
        spans = list(_spans(sentence))
        before = [(o, n, q) for o, n, q in spans if o < word.start()]
        found: list[str] = []
        end = word.start()
        for offset, name, _ in reversed(before):
            gap = sentence[_span_end(sentence, offset) : end]
            if name not in keys or not _FILLER.match(gap):
                break
            found.append(name)
            end = offset
        first = before[0] if before else None
        if found and first is not None and first[2] and first[1] not in keys:
            return ()  # "using `EvaluationStrategy` for `evaluation_strategy` is deprecated"
        if not found:
            after = [n for o, n, _ in spans if 0 <= o - word.end() <= _AFTER]
            found = [after[0]] if after and after[0] in keys else []
        return tuple(dict.fromkeys(reversed(found)))
    return ()


def _span_end(sentence: str, offset: int) -> int:
    match = _SPAN.match(sentence, offset)
    return match.end() if match else offset


def replacement(text: str, keys: Collection[str], itself: str) -> str:
    parts = sentences(text)
    start = next((i for i, s in enumerate(parts) if _WORD.search(s)), None)
    if start is None:
        return ""
    for index in range(start, len(parts)):
        sentence = parts[index]
        if index == start:
            word = _WORD.search(sentence)
            sentence = sentence[word.start() :] if word else sentence
        if not _CUE.search(sentence):
            continue
        for _, name, _ in _spans(sentence):
            if name != itself and name in keys:
                return name
    return ""


def help_deprecation(name: str, help_text: str) -> str:
    """The deprecation a field's help states about the field itself, or ``""``.

    The help must say so of the field (``"Deprecated, ..."``, ``"This argument is
    deprecated"``, ``"`name` is deprecated"``), not merely mention the word (``"When
    using torch.distributed.launch (Deprecated)"``, ``"The 'keep_end' value is
    deprecated"``).
    """
    if "eprecat" not in help_text.lower():
        return ""
    flat = " ".join(help_text.split())
    lowered = flat.lower()
    own = re.escape(name.lower())
    if (
        re.match(r"^\W*(\[|\()?deprecated\b", lowered)
        or re.search(
            r"\b(this|the)\s+(argument|parameter|option|field|flag|key|setting)\s+"
            r"(is|has been|was)\s+(now\s+)?deprecated",
            lowered,
        )
        or re.search(
            rf"(^|[\s`'\"-]){own}[`'\"]?\s+(is|has been|was)\s+(now\s+)?deprecated", lowered
        )
    ):
        return excerpt(flat)
    return ""

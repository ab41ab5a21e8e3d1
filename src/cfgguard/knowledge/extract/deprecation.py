"""Reading a framework's own deprecation texts: which keys they retire, and for what.

Frameworks say it in prose, in a field's help (``"Deprecated, use `max_length`
instead."``) or in a warning a method emits (``"`max_seq_length` is deprecated and will
be removed in version 0.20.0. Use `max_length` instead."``). Keys are recognised as code
spans (backticks or quotes, ``--`` prefixes dropped) or bare snake_case words; only names
the caller knows as keys count, so prose never becomes a key.

- ``subjects(text, keys)``: the keys a text says are deprecated: those named before the
  word "deprecated" in its sentence, unless another code span opens the sentence (``"using
  `EvaluationStrategy` for `evaluation_strategy` is deprecated"`` retires a value, not
  the key), or the key right after it (``"Using deprecated `--per_gpu_train_batch_size`"``).
- ``replacement(text, keys, itself)``: the first other key named, from the word
  "deprecated" on, in a sentence that points somewhere (use, instead, prefer, in favor
  of, replaced, renamed, ...). A span with a value (`` `--optim adafactor` ``,
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
_CUE = re.compile(
    r"\b(use|using|instead|prefer\w*|replac\w*|favou?r|renamed?|switch|superseded|migrat\w*)\b",
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
        found: list[str] = []
        after = ""
        for offset, name, quoted in _spans(sentence):
            if offset < word.start():
                if name in keys:
                    found.append(name)
                elif quoted and not found:
                    return ()  # the sentence is about something else
            elif not after and offset - word.end() <= _AFTER:
                after = name
        if not found and after in keys:
            found.append(after)
        return tuple(dict.fromkeys(found))
    return ()


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

"""File globs for ``exclude``, ``per-file-ignores`` and ``dialect``, matched the way ruff does.

A pattern is matched against the file's path relative to the configuration's directory
(``/`` separators), against its name, and against each directory that contains it, so:

* ``legacy.yaml`` or ``*.yml`` match a file of that name anywhere;
* ``legacy`` or ``vendor/*`` match everything under a directory of that name / path;
* ``configs/*.yaml`` matches below ``configs`` (``*`` also crosses ``/``, as in ruff's
  globset defaults), ``**/legacy/*.yaml`` also matches ``legacy/x.yaml`` (``**/`` is zero
  or more directories);
* ``?`` is one character, ``[abc]`` / ``[!abc]`` a character class; anything else is literal;
* a glob starting with ``/`` is matched against the absolute path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache


@cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression a glob stands for (anchored at both ends)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("(?:/.*)?")
            i += 3
        elif char == "*":
            while i < len(pattern) and pattern[i] == "*":
                i += 1
            out.append(".*")
        elif char == "?":
            out.append(".")
            i += 1
        elif char == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negated = body.startswith("!")
            body = re.escape(body[1:] if negated else body).replace("\\-", "-")
            out.append(f"[{'^' if negated else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def candidates(path: str, root: str) -> list[str]:
    """What a relative glob is tried against: the relative path, its directories, names."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(root)).replace(os.sep, "/")
    parts = relative.split("/")
    directories = ["/".join(parts[:n]) for n in range(1, len(parts))]
    return [relative, *directories, *parts]


def matches(globs: Iterable[str], path: str, root: str) -> bool:
    """Whether any glob matches ``path``; an absolute glob is matched to the absolute path."""
    tried = candidates(path, root)
    absolute = os.path.abspath(path).replace(os.sep, "/")
    for glob in globs:
        pattern = compile_glob(glob)
        if glob.startswith("/"):
            if pattern.fullmatch(absolute):
                return True
        elif any(pattern.fullmatch(c) for c in tried):
            return True
    return False

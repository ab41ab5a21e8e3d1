"""The repository's own argument classes and the parsers its scripts hand them to.

Read with ``ast`` only (nothing imported or run). Of the Python files the walk lists, those
whose text mentions a parser (``TrlParser``, ``HfArgumentParser``, ``H4ArgumentParser``, an
``...ArgumentParser...`` subclass) or defines a class on a ``...Config``/``...Arguments``
base are parsed; other modules are parsed only when a name is followed into them. Recorded:

* every dataclass of a parsed module, with its own fields and those of its repo bases, and
  the framework classes it derives from; also a plain subclass of a framework's
  ``...Config``/``...Arguments`` class (a model's ``PretrainedConfig`` and quantization
  configs are not argument classes);
* every call of a parser class (a framework's, or the repo's own subclass of one) with the
  classes it receives: a tuple/list literal, a name bound to one in the same function or at
  module level (``_TRAIN_ARGS = [...]``), or a single class;
* the vendored framework copies the walk found.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator

from cfgguard.knowledge.extract.pyast import dataclass_fields, dotted
from cfgguard.knowledge.extract.snapshot import FieldInfo
from cfgguard.patterns import Pattern
from cfgguard.project.calls import call_offsets, calls, items, lines_of, local_tuples
from cfgguard.project.modules import Module, Modules
from cfgguard.project.names import argument_class_name
from cfgguard.project.records import ClassRef, ParserUse, RepoClass, RepoScan
from cfgguard.project.repo import CLASS_MENTION, PARSER_MENTION, PARSERS
from cfgguard.project.walk import walk_repository


def is_argument_base(ref: ClassRef) -> bool:
    return ref.kind == "framework" and argument_class_name(ref.name)


_ARGUMENT_HEADER = re.compile(r"dataclass|(?:Config|Arguments|Args)\b")


def _may_be_argument_class(header: str) -> bool:
    """A class's decorators and ``class`` line could make it a recorded class (text test:
    only those classes are parsed)."""
    return bool(_ARGUMENT_HEADER.search(header))


def _is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if dotted(target).rsplit(".", 1)[-1] == "dataclass":
            return True
    return False


class Scanner:
    def __init__(self, root: str) -> None:
        self.walk = walk_repository(root)
        self.modules = Modules(root, self.walk.python_files)
        self.built: dict[tuple[str, str], RepoClass | None] = {}
        self.parser_kinds: dict[tuple[str, str], str] = {}  # repo parser class -> framework kind

    def _mentions(
        self, patterns: tuple[re.Pattern[bytes] | Pattern[bytes], ...], skip: set[str]
    ) -> list[str]:
        out: list[str] = []
        for rel in self.walk.python_files:
            if rel in skip:
                continue
            try:
                with open(os.path.join(self.walk.root, *rel.split("/")), "rb") as handle:
                    data = handle.read(self.modules.reader.limit + 1)
            except OSError:
                continue
            if any(pattern.search(data) for pattern in patterns):
                out.append(rel)
        return out

    def scan(self) -> RepoScan:
        chosen = self._mentions((PARSER_MENTION, CLASS_MENTION), set())
        for rel in chosen:
            self.modules.load(rel)
        self._find_parser_classes()
        extra = [n for _, n in self.parser_kinds if not PARSER_MENTION.search(n.encode())]
        if extra:
            pattern = re.compile(b"|".join(re.escape(n.encode()) for n in extra))
            for rel in self._mentions((pattern,), set(chosen)):
                self.modules.load(rel)
                chosen.append(rel)
        parsers = [use for rel in chosen for use in self._parser_uses(self.modules.load(rel))]
        for use in parsers:
            for ref in use.classes:
                if ref.kind == "repo":
                    self._build(ref.file, ref.name, ())
        done: set[str] = set()
        while len(done) < len(self.modules.loaded):  # following names loads more modules
            for rel in [r for r in self.modules.loaded if r not in done]:
                done.add(rel)
                module = self.modules.loaded[rel]
                for name in module.class_names():
                    if _may_be_argument_class(module.class_header(name)):
                        self._build(rel, name, ())
        classes = sorted((c for c in self.built.values() if c), key=lambda c: (c.file, c.line))
        return RepoScan(
            root=self.walk.root,
            classes=tuple(classes),
            parsers=tuple(sorted(parsers, key=lambda u: (u.file, u.line))),
            vendored=self.walk.vendored,
            python_files=len(self.walk.python_files),
            files_read=sum(1 for m in self.modules.loaded.values() if m.ok),
            truncated=self.walk.truncated,
            problems=tuple(sorted({*self.walk.problems, *self.modules.all_problems()})),
        )

    # parser classes -------------------------------------------------------------------

    def _parser_kind(self, ref: ClassRef, seen: tuple[str, ...]) -> str:
        if ref.name in PARSERS and ref.kind != "repo":
            return ref.name
        if ref.kind != "repo" or ref.file + ref.name in seen:
            return ""
        key = (ref.file, ref.name)
        if key in self.parser_kinds:
            return self.parser_kinds[key]
        module = self.modules.load(ref.file)
        node = module.class_node(ref.name)
        for base in node.bases if node else ():
            found = self.modules.resolve(module, base)
            kind = self._parser_kind(found, (*seen, ref.file + ref.name)) if found else ""
            if kind:
                self.parser_kinds[key] = ref.name if ref.name in PARSERS else kind
                return self.parser_kinds[key]
        return ""

    def _find_parser_classes(self) -> None:
        for module in list(self.modules.loaded.values()):
            for name in module.class_names():
                if "Parser" in module.class_header(name):
                    self._parser_kind(module.class_ref(name), ())

    def _parser_of(self, module: Module, call: ast.Call) -> tuple[str, str] | None:
        name = dotted(call.func)
        if not name:
            return None
        last = name.rsplit(".", 1)[-1]
        ref = self.modules.resolve(module, call.func)
        if ref is not None and ref.kind == "repo":
            kind = self._parser_kind(ref, ())
            return (ref.name, kind) if kind else None
        return (last, last) if last in PARSERS else None

    # parser calls ---------------------------------------------------------------------

    def _call_names(self, module: Module) -> set[str]:
        names = {*PARSERS, *(name for _, name in self.parser_kinds)}
        names.update(local for local, b in module.bindings.items() if b.attr in names)
        return names

    def _parser_uses(self, module: Module) -> Iterator[ParserUse]:
        lines = lines_of(module.text, call_offsets(module.text, self._call_names(module)))
        if not lines:
            return
        segments = module.segments
        body = [s for seg in segments.segments_on(lines) for s in segments.statements(seg)]
        module.add_bindings(body)  # imports inside the functions that call a parser
        top: dict[str, ast.expr] = {}
        for seg in segments.tuple_segments().values():
            top.update(local_tuples(segments.statements(seg)))
        for call, scopes in calls(body, lines, [top]):
            parser = self._parser_of(module, call)
            if parser is None:
                continue
            argument = call.args[0] if call.args else None
            for keyword in call.keywords:
                if keyword.arg == "dataclass_types":
                    argument = keyword.value
            refs = [
                ref
                for item in items(argument, scopes, 0)
                if (ref := self.modules.resolve(module, item)) is not None
            ]
            yield ParserUse(parser[0], parser[1], module.rel, call.lineno, tuple(refs))

    # classes --------------------------------------------------------------------------

    def _build(self, rel: str, name: str, seen: tuple[str, ...]) -> RepoClass | None:
        key = (rel, name)
        if key in self.built:
            return self.built[key]
        if f"{rel}:{name}" in seen:
            return None
        module = self.modules.load(rel)
        node = module.class_node(name)
        if node is None:
            return None
        bases = tuple(r for b in node.bases if (r := self.modules.resolve(module, b)) is not None)
        inherited: dict[str, FieldInfo] = {}
        framework: dict[tuple[str, str], ClassRef] = {}
        repo_base = False
        built_bases: list[RepoClass] = []
        for base in bases:
            if base.kind == "framework":
                framework.setdefault((base.package, base.name), base)
            elif base.kind == "repo":
                built = self._build(base.file, base.name, (*seen, f"{rel}:{name}"))
                if built is not None:
                    repo_base = True
                    built_bases.append(built)
                    for ref in built.framework_bases:
                        framework.setdefault((ref.package, ref.name), ref)
        for built in reversed(built_bases):  # dataclass order: the last base's fields first
            inherited.update((f.name, f) for f in built.all_fields)
        is_dataclass = _is_dataclass(node)
        argument_base = any(is_argument_base(r) for r in framework.values())
        if not (is_dataclass or repo_base or argument_base):
            self.built[key] = None
            return None
        own = dataclass_fields(node) if is_dataclass else ()
        inherited.update((f.name, f) for f in own)
        built = RepoClass(
            name,
            rel,
            node.lineno,
            is_dataclass,
            bases,
            own,
            tuple(inherited.values()),
            tuple(framework.values()),
        )
        self.built[key] = built
        return built

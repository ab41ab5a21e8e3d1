"""The language server's handlers (``build``) and its main loop (``serve``).

Each request handler is ``guarded``: its failure answers that request with an error and
the server goes on. Nothing here writes a file: fixes are edits the editor applies.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import BinaryIO, NoReturn, cast

from lsprotocol import types
from pygls.uris import to_fs_path

from cfgguard.server.actions import code_actions
from cfgguard.server.completion import complete
from cfgguard.server.documents import Document, path_for
from cfgguard.server.hover import hover
from cfgguard.server.protocol import LOG, OneLine, Protocol, Server, guarded


def build() -> Server:
    server = Server()
    _lifecycle(server)
    _document_sync(server)
    _requests(server)
    return server


def _lifecycle(server: Server) -> None:
    @server.feature(types.INITIALIZE)
    @guarded(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        options: object = params.initialization_options
        if isinstance(options, dict):
            debounce = cast("dict[str, object]", options).get("debounce_ms")
            if isinstance(debounce, int | float) and 0 <= debounce <= 10_000:
                server.debounce = debounce / 1000
        root = server.workspace.root_path
        # checks resolve the repository and `-` against the working directory, as a
        # `cfgguard check` run from the workspace root does
        if root and os.path.isdir(root):
            os.chdir(root)


def _document_sync(server: Server) -> None:
    """The editor's open, change, save and close of a document: each checks again."""

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        fs_path = to_fs_path(item.uri) if item.uri.startswith("file:") else None
        path = path_for(item.uri, fs_path, server.workspace.root_path)
        server.documents[item.uri] = Document(item.uri, path, item.text, item.version)
        server.publish(item.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = server.documents.get(uri)
        if document is None:
            return
        text = server.workspace.get_text_document(uri).source
        document.update(text, params.text_document.version)
        server.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.project.reload()  # a configuration may have changed meanwhile
        for document in server.documents.values():
            document.checked = None
        for uri in list(server.documents):
            server.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.documents.pop(uri, None)
        pending = server.timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def _requests(server: Server) -> None:
    """Code actions, hover and completion: answered from the document's last check."""

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
        ),
    )
    @guarded(types.TEXT_DOCUMENT_CODE_ACTION)
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        document = server.document(params.text_document.uri)
        if document is None:
            return None
        checked = document.current(server.project, server.encoding)
        only = [str(getattr(k, "value", k)) for k in params.context.only or ()]
        return code_actions(checked, document.uri, params.range, only or None)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        document = server.document(params.text_document.uri)
        if document is None:
            return None
        current = document.current(server.project, server.encoding)
        parsed = document.parsed(server.project, server.encoding)
        return hover(current, parsed, params.position.line, params.position.character)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[" ", ":"]),
    )
    @guarded(types.TEXT_DOCUMENT_COMPLETION)
    def on_completion(params: types.CompletionParams) -> types.CompletionList | None:
        document = server.document(params.text_document.uri)
        if document is None:
            return None
        current = document.current(server.project, server.encoding)
        parsed = document.parsed(server.project, server.encoding)
        items = complete(current, parsed, params.position.line, params.position.character)
        return types.CompletionList(is_incomplete=False, items=items)


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> NoReturn:
    """Serve until ``exit`` (or the end of input); the status is 0 after a ``shutdown``
    request, else 1, as the protocol says."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine("cfgguard server: %(message)s"))
    logging.basicConfig(level=logging.ERROR, handlers=[handler], force=True)
    LOG.setLevel(logging.WARNING)
    out = stdout or sys.stdout.buffer
    source = stdin or sys.stdin.buffer
    # the protocol owns stdout: anything else printed goes to the log instead
    sys.stdout = sys.stderr
    server = build()
    server.start_io(source, out)
    protocol = server.protocol
    status = 0 if isinstance(protocol, Protocol) and protocol.shut_down else 1
    sys.stderr.flush()
    # the reader thread may still wait on standard input: end without joining it
    os._exit(status)


__all__ = ["build", "serve"]

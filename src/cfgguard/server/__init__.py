"""``cfgguard server``: a language server (LSP over standard input and output).

Diagnostics, code actions, hover and completion for the configs an editor opens. It
needs the optional extra (``pip install 'cfgguard[server]'``: pygls and lsprotocol),
imported only here, so the check path and the hook's environment never load them.
"""

from __future__ import annotations

import sys

MISSING = (
    "cfgguard server needs the 'server' extra (pygls, lsprotocol): pip install 'cfgguard[server]'"
)


def main() -> int:
    """Serve over standard input and output; 2 when the extra is not installed."""
    try:
        from cfgguard.server.features import serve
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        print(f"cfgguard: {MISSING}", file=sys.stderr)
        return 2
    import gc

    from cfgguard.parallel import forbid_fork

    gc.enable()  # long-lived: the command line turned the collector off for short runs
    forbid_fork()  # it runs threads: a forked worker could inherit a lock held by one
    serve()


__all__ = ["MISSING", "main"]

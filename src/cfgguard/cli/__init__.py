"""The front end: the command line and what only it needs.

``main`` parses the command line and dispatches; ``commands`` runs check, show, rule and
rules; ``options`` turns flags and the project configuration into a check's options;
``paths`` finds the files; ``show`` renders ``cfgguard show``; ``fix`` reports a fix
run; ``helpers`` is the front of init, triage and convert; ``action`` is the GitHub
Action's entry point (``python -m cfgguard.cli.action``); ``docs`` writes the README's
rule table (``python -m cfgguard.cli.docs``). Nothing below this package imports it.
"""

from cfgguard.cli.main import main

__all__ = ["main"]

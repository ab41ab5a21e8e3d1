"""``cfgguard triage``: a symptom -> the settings the troubleshooting table links to it.

``command`` runs it; ``subject`` is the checked file as triage reads it, ``symptoms``
proposes each symptom's fix (sized like the table says), ``places`` finds where a
setting is written.
"""

"""``cfgguard convert``: one dialect to another through the canonical config.

``command`` runs it; ``view`` reads the source as canonical values, ``tree`` builds the
target's document, ``base`` holds what the target writers share, and one module per
target (``hf`` for axolotl and TRL, ``llamafactory``, ``torchtune``, ``verl``,
``plain``) writes it.
"""

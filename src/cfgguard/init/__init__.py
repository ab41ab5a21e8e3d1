"""``cfgguard init``: a starting config from the tables, in a dialect's own idiom.

``command`` runs it; ``plan`` picks the values (``batchplan`` the batch, from the
model's size and the GPU), ``common`` holds what the dialect writers share, and one
module per dialect (``axolotl``, ``llamafactory``, ``trl``, ``torchtune``, ``verl``,
``plain``) writes the file.
"""

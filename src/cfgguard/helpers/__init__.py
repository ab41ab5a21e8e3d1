"""What the commands that help write configs (``init``, ``triage``, ``convert``) share.

``yamltext`` writes YAML text, ``output`` writes a result file or stdout, ``picks``
holds values with their table row and number formatting, ``torchtune_models`` the
model builders torchtune ships, ``keycheck`` lists a written config's unknown keys.
"""

"""Span edits on the original text, as rules and helpers describe a fix (below the rules).

``build`` makes edits from positioned nodes (replace a value, insert a key line, extend
a list) and ``numbers`` writes a number's new text in the author's style. The fix engine
(``cfgguard.fix``) applies them; nothing here runs a check.
"""

"""Reporters: turn findings into text for people and machines. They see findings only."""

# the names live here, not in formats.py, so the CLI can list them without importing
# every reporter (SARIF pulls in urllib and pathlib)
FORMATS = ("text", "json", "github", "sarif", "junit", "concise", "grouped")

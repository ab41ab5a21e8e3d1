"""Commands that help write configs: ``init`` (a starting config from the tables),
``triage`` (a symptom -> the settings the troubleshooting table links to it, and its fix)
and ``convert`` (one dialect to another through the canonical config)."""

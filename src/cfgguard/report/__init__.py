"""Reporters: turn findings into text for people and machines. They see findings only."""

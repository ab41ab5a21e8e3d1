"""JSON Schemas generated from the knowledge data, and their validation."""

"""YAML with positions: nodes that keep their marks, composed from the event stream."""

"""Knowledge as data: the reference tables and the model table, with typed loaders."""

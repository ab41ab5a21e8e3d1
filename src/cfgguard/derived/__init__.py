"""What rules and helpers both read off a checked document, below the rules.

``context`` is what a rule sees (``Context``, ``Settings``); ``runcontext`` what a
config's numbers mean for this run; ``figures`` the effective batch and LoRA size;
``batch_steps`` batch sizes, steps and dataset sizes; ``lr_levels`` which
learning-rate level a run sits at; ``targets`` whether the adapter takes the output
layer. Nothing here imports a rule.
"""

"""cfgguard: checker and autofixer for LLM fine-tuning configs."""

__version__ = "0.1.0"

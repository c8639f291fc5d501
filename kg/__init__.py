"""policy-kg: turn Chinese government plans into a knowledge graph."""

__version__ = "0.1.0"

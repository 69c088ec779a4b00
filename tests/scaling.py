"""The suite's scaled data comes from the module `generate_synthetic_data` uses."""

from reporting.synthetic import multiply_programme

__all__ = ["multiply_programme"]

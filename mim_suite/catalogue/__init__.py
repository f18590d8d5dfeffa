"""The offline data-model catalogue (MIM2): Smart Data Models schemas, shared schemas and
@contexts bundled with the harness, plus a user directory of extra models.

Public face: :class:`Catalogue`, :class:`Model`, :class:`UnknownModel`.
"""

from mim_suite.catalogue.catalogue import Catalogue, default_user_dir
from mim_suite.catalogue.index import Model, UnknownModel, key_values_examples
from mim_suite.catalogue.registry import NotInCatalogue

__all__ = [
    "Catalogue",
    "Model",
    "NotInCatalogue",
    "UnknownModel",
    "default_user_dir",
    "key_values_examples",
]

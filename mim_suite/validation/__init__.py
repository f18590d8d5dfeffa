"""Validation of NGSI-LD entities (MIM2): structure, data model (JSON Schema), SHACL.

Public face: read entities with :func:`read_inputs`, validate them with
:func:`validate_entities` (one :class:`EntityReport` each), render the reports with
:mod:`mim_suite.validation.output`. The pieces: :func:`detect_representation` and
:func:`to_key_values` (ETSI GS CIM 009 V1.8.1 clause 4.5), :func:`check_structure` (the
NGSI-LD rules), :class:`DataModelChecker` (JSON Schema), and ``shacl.ShaclValidator``.
"""

from mim_suite.validation.findings import (
    EntityInput,
    EntityReport,
    Finding,
    Representation,
    Severity,
)
from mim_suite.validation.inputs import InputError, ReadResult, read_inputs
from mim_suite.validation.jsonschema_check import DataModelChecker, SchemaProblem, load_schema
from mim_suite.validation.representation import detect_representation, to_key_values
from mim_suite.validation.structure import check_structure
from mim_suite.validation.validate import validate_entities

__all__ = [
    "DataModelChecker",
    "EntityInput",
    "EntityReport",
    "Finding",
    "InputError",
    "ReadResult",
    "Representation",
    "SchemaProblem",
    "Severity",
    "check_structure",
    "detect_representation",
    "load_schema",
    "read_inputs",
    "to_key_values",
    "validate_entities",
]

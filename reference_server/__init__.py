"""The mim-suite reference NGSI-LD platform (ETSI GS CIM 009 V1.8.1)."""

__version__ = "0.1.0"

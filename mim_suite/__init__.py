"""mim-suite: conformance toolkit for the OASC Minimal Interoperability Mechanisms."""

__version__ = "0.1.0"

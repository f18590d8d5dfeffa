"""Implementation modules of the NGSI-LD query languages; import them via ``ngsild.query``.

See :mod:`reference_server.ngsild.query` for the public API, the clauses of ETSI GS CIM 009
V1.8.1 that each module implements, the decisions taken where the specification is unclear and
the known limitations.
"""

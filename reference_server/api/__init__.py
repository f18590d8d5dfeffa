"""HTTP binding of the NGSI-LD API (ETSI GS CIM 009 V1.8.1, clause 6)."""

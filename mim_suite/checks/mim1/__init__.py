"""MIM1 checks: the NGSI-LD context information management API (ETSI GS CIM 009 V1.8.1).

Modules mirror groups of clauses: entities (5.6.1, 5.6.6, 5.7.1), attributes (5.6.2-5.6.5,
5.6.19), batch (5.6.7-5.6.10, 5.6.20), query and the q language (5.7.2, 4.9, 4.17),
representations (4.5), content negotiation and @context (6.3.4-6.3.6), errors (5.5.2,
6.3.2), pagination (5.5.9, 6.3.10, 6.3.13), discovery (5.7.5-5.7.10), tenants (5.5.10,
6.3.14).
"""

MIM = "MIM1"

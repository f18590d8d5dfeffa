"""MIM2 checks: shared data models, judged on the entities a platform already holds.

Source: OASC MIM2 "Data models" (the MIM in its 2022 format, which OASC keeps valid while the
redrafted "Representing data" version is consulted on;
https://mims.oascities.org/mims/oasc-mim-2-data-models). Its capability C1, "All entities
included in data sources are described using consistent data models to enable
interoperability for applications and systems", carries the requirements these checks
encode:

* R1: "Data models used for all entities in any data source shall be made explicit."
* R2a: "Data models used shall be based (wherever possible) on commonly recognised sets of
  machine-understandable standardised data models" - the MIM's list names the NGSI-LD
  compliant models of OASC, FIWARE, GSMA and SynchroniCity and the Smart Data Models
  initiative of TM Forum and FIWARE, which is the catalogue the harness bundles.
* R3: "Data models used shall support the exchange of data via the context management API
  (MIM1)."

The redrafted version words the same requirements as R.1, R1.2a and R3. The checks send GET
only (they run under the read-only profile, on production), leave out the types and entities
this harness makes up (other checks' test data), and bound their work: at most
``MAX_TYPES`` types and ``SAMPLE_SIZE`` entities per type (:mod:`._support`).
"""

MIM = "MIM2"

"""The SHACL shapes graph of a :class:`~mim_suite.validation.shacl.ShaclValidator`.

Holds the core shapes (``shapes/ngsi-ld-core.ttl``) from the start and each data model's
shapes (``shapes/generated/<Domain>/<Type>.ttl``) from the first batch that has an entity of
that type: a Turtle file is parsed at most once, and pySHACL's shapes are compiled again only
when the graph grew. A user catalogue model gets its shapes generated in memory (they are not
checked in), as does a bundled model whose file is missing.

It also indexes what the report reader needs: per property shape the attribute and member it
checks (:class:`ShapeInfo`), per class IRI the shapes of the models targeting it, and per
entity type name the IRIs its model targets.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, RDFS, SH, BNode, Graph, URIRef
from rdflib.term import Node

from mim_suite.catalogue import Catalogue, Model
from mim_suite.shapesgen.generate import model_file, relative_path
from mim_suite.shapesgen.iris import Expander

__all__ = ["CORE_SHAPES", "ShapeIndex", "ShapeInfo"]

logger = logging.getLogger(__name__)

CORE_SHAPES = "ngsi-ld-core.ttl"
NGSI_LD = "https://uri.etsi.org/ngsi-ld/"
_MEMBERS = {URIRef(NGSI_LD + "hasValue"): "value", URIRef(NGSI_LD + "hasObject"): "object"}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True, slots=True)
class ShapeInfo:
    """Where a property shape's results point. Model shapes: the ``attribute`` name, the
    IRIs their path starts with and the instance ``member`` checked (``value``, ``object``, or
    None for the attribute itself); core shapes: only the ``member`` (``value``,
    ``observedAt``...) of the attribute instance they focus on."""

    attribute: str | None
    member: str | None
    iris: frozenset[Node] = frozenset()


UNKNOWN_SHAPE = ShapeInfo(None, None)


class ShapeIndex:
    """The shapes graph, its compiled pySHACL form, and the indexes over it."""

    def __init__(self, catalogue: Catalogue, shapes_dir: Path) -> None:
        self._catalogue = catalogue
        self._generated = shapes_dir / "generated"
        self.graph = Graph()
        self.graph.parse(shapes_dir / CORE_SHAPES, format="turtle")
        self._loaded: set[str] = set()
        self._expander: Expander | None = None
        self._compile()

    def require(self, type_names: set[str]) -> None:
        """Load the shapes of the catalogue models of these entity types, if not yet done."""
        models = {self._catalogue.find(name) for name in sorted(type_names)}
        new = sorted((m for m in models if m and m.type not in self._loaded), key=_order)
        for model in new:
            self._load(model)
            self._loaded.add(model.type)
        if new:
            self._compile()

    def relevant(self, data: Graph) -> list[Node]:
        """The core shapes and the shapes of the models whose classes occur in ``data``."""
        present = set(data.objects(None, RDF.type))
        chosen = set(self.core)
        for cls in present & self.by_class.keys():
            chosen.update(self.by_class[cls])
        return sorted(chosen, key=str)

    def _load(self, model: Model) -> None:
        path = self._generated / relative_path(model)
        if model.origin == "bundled" and path.is_file():
            self.graph.parse(path, format="turtle")
            return
        if model.origin == "bundled":
            logger.warning("%s is missing: generating %s's shapes in memory", path, model.type)
        self._expander = self._expander or Expander(self._catalogue)
        text = model_file(self._catalogue, model, self._expander)
        self.graph.parse(data=text, format="turtle")

    def _compile(self) -> None:
        self.compiled = ShapesGraph(self.graph, logger=logger)
        count = len(list(self.compiled.shapes))
        members = _model_members(self.graph)
        self.info = _shape_info(self.graph, members)
        self.targets = _model_targets(self.graph)
        self.by_class = _shapes_by_class(self.graph)
        self.core = _core_shapes(self.graph, members)
        logger.debug("SHACL shapes compiled: %d shapes, %d triples", count, len(self.graph))


def _order(model: Model) -> str:
    return model.type


def _model_members(graph: Graph) -> set[Node]:
    """The property shapes listed (``rdfs:member``) by a model's node shape."""
    return {m for n in graph.subjects(RDFS.label, None) for m in graph.objects(n, RDFS.member)}


def _shape_info(graph: Graph, members: set[Node]) -> dict[Node, ShapeInfo]:
    info: dict[Node, ShapeInfo] = {}
    for shape in graph.subjects(RDF.type, SH.PropertyShape):
        name = graph.value(shape, SH.name)
        label = str(name) if name is not None else None
        if shape in members:
            first, member = _path_ends(graph, graph.value(shape, SH.path))
            info[shape] = ShapeInfo(label, member, first)
        else:
            info[shape] = ShapeInfo(None, label)
    return info


def _path_ends(graph: Graph, path: Node | None) -> tuple[frozenset[Node], str | None]:
    """A model shape's path: the attribute IRIs it starts with, and the member it ends in."""
    if isinstance(path, URIRef):
        return frozenset({path}), None
    if not isinstance(path, BNode):
        return frozenset(), None
    steps = list(graph.items(path))
    if not steps:
        options = graph.value(path, SH.alternativePath)
        return (frozenset(graph.items(options)) if options is not None else frozenset()), None
    last = steps[-1]
    member = _MEMBERS.get(last) if isinstance(last, URIRef) and len(steps) > 1 else None
    return _path_ends(graph, steps[0])[0], member


def _shapes_by_class(graph: Graph) -> dict[Node, set[Node]]:
    """Class IRI -> the property shapes of the models whose node shape targets it."""
    by_class: dict[Node, set[Node]] = {}
    for node in graph.subjects(RDFS.label, None):
        listed = set(graph.objects(node, RDFS.member))
        for cls in graph.objects(node, SH.targetClass):
            by_class.setdefault(cls, set()).update(listed)
    return by_class


def _core_shapes(graph: Graph, members: set[Node]) -> list[Node]:
    """Shapes with a target that belong to no model: the core shapes."""
    targeted = {s for p in _TARGETS for s in graph.subjects(p, None)}
    return sorted(targeted - members - set(graph.subjects(RDFS.label, None)), key=str)


def _model_targets(graph: Graph) -> dict[str, frozenset[Node]]:
    """Entity type name -> the class IRIs its model's node shape targets."""
    targets: dict[str, frozenset[Node]] = {}
    for shape, label in graph.subject_objects(RDFS.label):
        classes = frozenset(graph.objects(shape, SH.targetClass))
        if classes:
            targets[str(label)] = targets.get(str(label), frozenset()) | classes
    return targets

"""One document through the flow: ingest → structure → detect → score."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from analyzer import model_files
from analyzer.cache import ResultCache, digest
from analyzer.detect.doctype import guess_doc_type
from analyzer.errors import AnalyzerError, internal_error
from analyzer.ingest import IngestedText, ingest_bytes, ingest_file
from analyzer.model import DocumentInfo, StructuredDocument
from analyzer.structure import segment_text
from analyzer.structure.metadata import ManifestRow, apply_manifest, apply_meta


def structure_document(ingested: IngestedText) -> StructuredDocument:
    """Segment ingested text into the document tree."""
    result = segment_text(
        ingested.text,
        ingested.body_end,
        ingested.line_hints,
        markdown=ingested.format == "md",
        explicit_blocks=ingested.format in {"html", "docx"},
    )
    title = result.title or ingested.title_hint
    doc_type, confidence = guess_doc_type(ingested.text, title)
    info = DocumentInfo(
        path=ingested.path,
        name=Path(ingested.path).name,
        sha256=ingested.sha256,
        format=ingested.format,  # type: ignore[arg-type]
        encoding=ingested.encoding,
        doc_type=doc_type,  # type: ignore[arg-type]
        doc_type_confidence=confidence,
        title=title,
        dates=result.dates,
        warnings=ingested.warnings,
        text=ingested.text,
        body_end=ingested.body_end,
        source_map=ingested.source_map,
    )
    document = StructuredDocument(document=info, sections=result.sections, footnotes=result.footnotes)
    return apply_meta(document)


def segment_file(path: str | Path) -> StructuredDocument:
    """Read ``path`` and return its structure. Raises :class:`analyzer.errors.AnalyzerError`."""
    return structure_document(ingest_file(path))


def segment_bytes(data: bytes, path: str = "<bytes>") -> StructuredDocument:
    """Structure of a document given as bytes (``path`` only names it)."""
    return structure_document(ingest_bytes(data, path))


def build_engine(
    model: str | Path | None = None,
    rules_only: bool = False,
    profile: str | None = None,
    cache: ResultCache | None = None,
    fast: bool = False,
    rules: list[str | Path] | None = None,
    thorough: bool = False,
):
    """A new detection engine for ``model`` (default: the shipped model) and reporting
    ``profile`` (default: combination.yaml's), keeping clause results in ``cache`` when given.
    The cascade's fast classifier reads every clause and its e5 classifier those near a threshold
    of a communications-secrecy label (``encoder.yaml``); ``fast``: none (no sentence encoder);
    ``thorough``: those near any label's threshold. Raises :class:`AnalyzerError` for an unknown
    profile, a missing model, ``fast`` with ``thorough``, or either with a model that is not a
    cascade. ``rules``: rule files (YAML, the format of ``analyzer/detect/rules``)
    that replace the shipped rules, both as rules and as the model's rule-hit features."""
    from analyzer.detect.combine import profile_settings
    from analyzer.detect.engine import DetectionEngine, load_model

    try:
        profile_settings(profile)
    except ValueError as error:
        raise AnalyzerError(f"プロファイル {profile} はありません", str(error)) from error
    engine_rules = _load_rules(rules) if rules else None
    if rules_only:
        return DetectionEngine(None, engine_rules, profile=profile, cache=cache)
    if model is None:
        clause_model = load_model(model_files.require())
    else:
        clause_model = load_model(Path(model))
        if clause_model is None:
            raise AnalyzerError(f"モデル {model} がありません", f"model {model} not found", path=str(model))
    try:
        return DetectionEngine(
            clause_model, engine_rules, profile=profile, cache=cache, fast=fast, thorough=thorough
        )
    except ValueError as error:
        raise AnalyzerError(
            "--fast と --thorough は同時に指定できません"
            if fast and thorough
            else "このモデルはカスケードではないため --fast・--thorough は使えません",
            str(error),
        ) from error


def _load_rules(paths: list[str | Path]):
    """A rule engine over the user's rule files; :class:`AnalyzerError` naming a file that
    cannot be read or is not a valid rule file."""
    from analyzer.detect.rule_engine import RuleEngine, load_rules

    for path in paths:
        if not Path(path).is_file():
            raise AnalyzerError(
                f"ルールファイル {path} がありません", f"rule file {path} not found", path=str(path)
            )
    try:
        return RuleEngine(load_rules([Path(p) for p in paths]))
    except Exception as error:  # YAML syntax, a missing key, a bad pattern: all the user's file
        names = ", ".join(str(p) for p in paths)
        raise AnalyzerError(
            f"ルールファイルを読めません（{names}）: {error}",
            f"invalid rule file ({names}): {error}",
            path=str(paths[0]),
        ) from error


def get_detector(model: str | Path | None = None, rules_only: bool = False, profile: str | None = None):
    """:func:`build_engine`, kept per process for the module-level functions (an
    :class:`Analyzer` keeps its own)."""
    key = f"{'rules' if rules_only else model}|{profile}"
    if key not in _DETECTORS:
        _DETECTORS[key] = build_engine(model, rules_only, profile)
    return _DETECTORS[key]


_DETECTORS: dict[str, object] = {}


def analyze_document(
    document: StructuredDocument,
    model: str | Path | None = None,
    rules_only: bool = False,
    profile: str | None = None,
) -> StructuredDocument:
    """Add clause findings, document checks, guideline-item verdicts and scores to a structured
    document (in place; also returned)."""
    from analyzer.score import score_document

    return score_document(get_detector(model, rules_only, profile).annotate(document))


def analyze_file(
    path: str | Path,
    model: str | Path | None = None,
    rules_only: bool = False,
    meta: ManifestRow | None = None,
    profile: str | None = None,
) -> StructuredDocument:
    """Read, segment, classify, check and score one document; ``meta`` (a manifest row)
    overrides the carrier, document type and date read from the text; ``profile`` chooses what
    is reported (combination.yaml: ``profiles``)."""
    document = segment_file(path)
    if meta is not None:
        apply_manifest(document, meta)
    return analyze_document(document, model, rules_only, profile)


def analyze_bytes(
    data: bytes,
    name: str = "<bytes>.txt",
    model: str | Path | None = None,
    rules_only: bool = False,
    profile: str | None = None,
) -> StructuredDocument:
    """:func:`analyze_file` for a document held in memory; ``name`` names it in findings and
    errors, and its extension chooses the reader (.txt .md .html .pdf .docx)."""
    return analyze_document(segment_bytes(data, name), model, rules_only, profile)


def open_cache(cache: ResultCache | str | Path | bool | None) -> ResultCache | None:
    """``cache`` as a :class:`ResultCache`: True the default folder, a path that folder,
    None or False no cache."""
    if cache is None or cache is False:
        return None
    if cache is True:
        return ResultCache()
    if isinstance(cache, ResultCache):
        return cache
    return ResultCache(cache)


class Analyzer:
    """One configured analyzer: the model, rules-only mode, reporting profile and result cache
    are chosen once, its detection engine is built once (an unknown profile or a missing model
    fails here) and kept by the object, never shared through process-wide state.

    ``cache``: None or False (the default) analyses everything; True keeps results in the
    user's cache folder (``analyzer.cache``), a path in that folder. With a cache, an unchanged
    file is not analysed again, and an edited one only in the clauses that changed.
    The cascade's fast classifier reads every clause, and the e5 classifier those where the fast
    one is unsure of a communications-secrecy label (``analyzer/data/encoder.yaml``). ``fast``:
    the sentence encoder never runs; ``thorough``: the e5 classifier reads every clause near any
    label's threshold (slower; ``models/MODEL_CARD.md``).
    ``rules``: the user's rule files in place of the shipped ones.

        >>> analyzer = Analyzer(profile="recall", cache=True)  # doctest: +SKIP
        >>> for path, result in analyzer.analyze_many(["a.txt", "b.pdf"]):  # doctest: +SKIP
        ...     print(path, result if isinstance(result, AnalyzerError) else result.scores.overreach.score)
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        rules_only: bool = False,
        profile: str | None = None,
        cache: ResultCache | str | Path | bool | None = None,
        fast: bool = False,
        rules: list[str | Path] | None = None,
        thorough: bool = False,
    ) -> None:
        self.model = model
        self.rules_only = rules_only
        self.profile = profile
        self.fast = fast
        self.thorough = thorough
        self.rules = rules
        self.cache = open_cache(cache)
        self.engine = build_engine(model, rules_only, profile, self.cache, fast, rules, thorough)

    def analyze_document(self, document: StructuredDocument) -> StructuredDocument:
        """Detect and score a structured document (in place; also returned)."""
        from analyzer.score import score_document

        return score_document(self.engine.annotate(document))

    def analyze(self, path: str | Path, meta: ManifestRow | None = None) -> StructuredDocument:
        """Read, segment, detect and score one file; ``meta`` overrides carrier, type and date."""
        key = self.input_key(path, meta) if self.cache is not None else None
        if key is not None:
            assert self.cache is not None
            cached = self.cache.get(key)
            if cached is not None:
                return StructuredDocument.model_validate_json(cached)
        document = segment_file(path)
        if meta is not None:
            apply_manifest(document, meta)
        self.analyze_document(document)
        if key is not None:
            assert self.cache is not None
            self.cache.put(key, document.model_dump_json().encode("utf-8"))
        return document

    def input_key(self, path: str | Path, meta: ManifestRow | None = None) -> str | None:
        """What a whole file's analysis depends on, as one digest: the file's bytes, its path
        (which the analysis names), the manifest row and the engine's configuration (model
        fingerprint, rules, data files, profile, schema and package versions). The key of the
        result cache and of a resumed batch; None when the file cannot be read or the model has
        no fingerprint."""
        if self.engine.config_key is None:
            return None
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None  # the reader reports the error, with the file's name
        row = json.dumps(
            meta.__dict__ if meta is not None else None, ensure_ascii=False, sort_keys=True, default=str
        )
        return digest("document", self.engine.config_key, str(path), hashlib.sha256(data).hexdigest(), row)

    def analyze_bytes(self, data: bytes, name: str = "<bytes>.txt") -> StructuredDocument:
        """:meth:`analyze` for a document in memory (``name`` names it and chooses the reader)."""
        return self.analyze_document(segment_bytes(data, name))

    def analyze_many(
        self, paths: Iterable[str | Path]
    ) -> Iterator[tuple[Path, StructuredDocument | AnalyzerError]]:
        """Each path with its analysis, or with the error that stopped it, in the order given:
        one bad file never stops the others."""
        for path in paths:
            path = Path(path)
            try:
                yield path, self.analyze(path)
            except AnalyzerError as error:
                yield path, error
            except Exception as error:  # a bug, reported on this file like the batch reports it
                yield path, internal_error(error, str(path))

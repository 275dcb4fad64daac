"""Loading policies and asking them questions: the stable surface systems import.

``load``/``loads`` run the pipeline once (parse → check → compile); a
:class:`Policy` then evaluates records without parsing or looking names up again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePath
from typing import Any

import attrs

from policykit import program as p
from policykit.checker import check
from policykit.compiler import CompiledPolicy, compile_program
from policykit.diagnostics import Collector, closest
from policykit.errors import policy_error
from policykit.evaluator import Result, evaluate
from policykit.lifecycle import LifecycleStatus, replay
from policykit.nodes import Label
from policykit.parser import DEFAULT_LIMITS, Limits, parse
from policykit.records import _printable, structure
from policykit.source import encoding_hint
from policykit.trace import NOT_YET_DUE, OUTCOME_WORDS

__all__ = [
    "NotInForce",
    "Policy",
    "RuleInfo",
    "UnknownPolicy",
    "bundled",
    "bundled_ids",
    "bundled_path",
    "load",
    "loads",
]


class UnknownPolicy(LookupError):
    """No bundled policy has the id asked for."""


class NotInForce(LookupError):
    """A bundled policy exists, but no version of it was in force on the date asked for."""

    def __init__(self, message: str, effective_from: date | None) -> None:
        super().__init__(message)
        self.effective_from = effective_from


@attrs.frozen
class RuleInfo:
    """What the catalog says of one rule: its kind, citation, the record it reads (its
    subject), the fields read, outcomes."""

    name: str
    kind: str
    label_zh: str
    label_en: str | None
    citations: tuple[p.CheckedCitation, ...]
    reads: tuple[str, ...]
    judgements: tuple[str, ...]
    questions: tuple[Label, ...]
    notes: tuple[str, ...]
    outcomes: tuple[str, ...]
    subject_name: str = ""
    subject_type: type[Any] = object


class Policy:
    """A checked and compiled policy. Evaluate records with :meth:`evaluate`."""

    def __init__(self, program: p.Program, compiled: CompiledPolicy, path: Path | None) -> None:
        self._program = program
        self._compiled = compiled
        self.path = path
        self._subjects = {r.name: (r.subject_name, r.subject_type) for r in program.rules}

    def __repr__(self) -> str:
        return f"<Policy {self.id}>"

    @property
    def id(self) -> str:
        """The policy's id, e.g. ``hunan.recognition``."""
        return self._program.info.id

    @property
    def subject_name(self) -> str:
        """The name field paths start from, e.g. ``space`` in ``space.area`` (the header's
        subject, or the main rule's when the header names none)."""
        return self._program.subject_name

    @property
    def info(self) -> p.PolicyInfo:
        """Title, source instrument, issuer, dates in force."""
        return self._program.info

    @property
    def main(self) -> str:
        """The name of the rule :meth:`evaluate` answers when no rule is named."""
        return self._program.main

    @property
    def subject_type(self) -> type[Any]:
        """The record class this policy reads (e.g. ``policykit.records.MakerSpace``): the
        header's subject, or the main rule's. A rule ``over`` another record reads that
        one (:meth:`rule_subject`)."""
        return self._program.subject_type

    def rule_subject(self, rule: str | None = None) -> tuple[str, type[Any]]:
        """The name and record class ``rule`` reads (the main rule's by default)."""
        name = rule or self._program.main
        if name not in self._subjects:
            suggestion = closest(name, self._subjects)
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            raise KeyError(f"{self.id} has no rule {name!r}{hint}")
        return self._subjects[name]

    @property
    def notes(self) -> tuple[p.CheckedNote, ...]:
        """The policy's notes on silence, conflict, ambiguity and discretion in its source."""
        return self._program.notes

    def rule_names(self) -> tuple[str, ...]:
        """Every rule's name, in dependency order."""
        return tuple(r.name for r in self._program.rules)

    def rules(self) -> tuple[RuleInfo, ...]:
        """Every rule with what the catalog documents of it."""
        return tuple(_rule_info(r) for r in self._program.rules)

    def in_force(self, on: date) -> bool:
        """Whether this version was in force on ``on``."""
        info = self._program.info
        if info.in_force_from is not None and on < info.in_force_from:
            return False
        return not (info.in_force_until is not None and on >= info.in_force_until)

    def structure(self, record: Any, rule: str | None = None) -> Any:
        """The record as an instance of the record type ``rule`` reads (the main rule's by
        default; RecordError if malformed, with field paths from the rule's subject)."""
        name, cls = self.rule_subject(rule)
        return structure(record, cls, name)

    def evaluate(self, record: Any, *, as_of: date, rule: str | None = None) -> Result:
        """Decide ``rule`` (the main rule by default) for ``record`` as of ``as_of``.

        ``record`` is an attrs record or plain data of the same shape; a malformed one
        raises :class:`~policykit.errors.RecordError`; an absent field leaves the
        criteria that need it unknown. ``as_of`` is a ``datetime.date`` (a ``datetime``
        raises TypeError).
        """
        _check_as_of(as_of)
        return evaluate(self._compiled, self.structure(record, rule), as_of, rule)


    @property
    def lifecycles(self) -> tuple[p.CheckedLifecycle, ...]:
        """The lifecycles the policy declares, in order."""
        return self._program.lifecycles

    def lifecycle(self, history: Any, *, as_of: date, name: str | None = None
                  ) -> LifecycleStatus:
        """Replay ``history`` (events ``{"on": "YYYY-MM-DD", "event": NAME}``, with an
        optional ``"year"``, in date order) through the lifecycle ``name`` (the policy's
        only one by default), as of ``as_of`` (a date, not a datetime). An undeclared
        event, an unknown key, a date that is not ``YYYY-MM-DD`` or events out of date
        order raise :class:`~policykit.errors.RecordError` naming the event (path
        ``history[i].event``, ``history[i].on``, ``history[i].<key>``); events after
        ``as_of`` are checked but not replayed.
        """
        _check_as_of(as_of)
        found = self._program.lifecycles
        if not found:
            raise KeyError(f"the policy {self.id} declares no lifecycle")
        if name is None:
            if len(found) > 1:
                raise KeyError(f"the policy {self.id} declares several lifecycles: name one of "
                               + ", ".join(lc.name for lc in found))
            chosen = found[0]
        else:
            match = [lc for lc in found if lc.name == name]
            if not match:
                near = closest(name, [lc.name for lc in found])
                raise KeyError(f"the policy {self.id} has no lifecycle {name!r}"
                               + (f"; did you mean {near!r}?" if near else ""))
            chosen = match[0]
        return replay(self._program.info, chosen, history, as_of)

    def evaluate_many(self, records: Iterable[Any], *, as_of: date,
                      rule: str | None = None) -> Iterator[Result]:
        """Evaluate each record in turn, lazily: memory does not grow with the input.

        ``as_of`` and ``rule`` are checked at the call (TypeError, or KeyError for an
        unknown rule); a malformed record raises :class:`~policykit.errors.RecordError`
        when reached.
        """
        _check_as_of(as_of)
        name, subject = self.rule_subject(rule)  # a KeyError with a hint for a wrong name
        return self._evaluate_each(records, as_of, rule, name, subject)

    def _evaluate_each(self, records: Iterable[Any], as_of: date, rule: str | None,
                       name: str, subject: type[Any]) -> Iterator[Result]:
        compiled = self._compiled
        for record in records:
            yield evaluate(compiled, structure(record, subject, name), as_of, rule)


def _check_as_of(as_of: object) -> None:
    """TypeError unless ``as_of`` is a date; a datetime (a subclass of date) is refused:
    a time of day has no meaning for a policy, and compared with a date it fails."""
    if not isinstance(as_of, date) or isinstance(as_of, datetime):
        raise TypeError(f"as_of must be a datetime.date, not {type(as_of).__name__}")


def _rule_info(rule: p.CheckedRule) -> RuleInfo:
    reads: dict[str, None] = {}
    judgements: dict[str, Label] = {}
    for node in p.walk(rule.body):
        if isinstance(node, p.TField):
            reads[node.path] = None
        elif isinstance(node, p.TJudged):
            judgements.setdefault(node.key, node.question)
    outcomes = tuple(dict.fromkeys(OUTCOME_WORDS[rule.kind].values()))
    if rule.due is not None:  # a target asked before its due date
        outcomes = (*outcomes, NOT_YET_DUE)
    return RuleInfo(rule.name, rule.kind, rule.label.zh, rule.label.en, rule.citations,
                    tuple(reads), tuple(judgements), tuple(judgements.values()),
                    tuple(n.name for n in rule.notes), outcomes, rule.subject_name,
                    rule.subject_type)


def loads(text: str | bytes, filename: str = "<string>", *,
          limits: Limits = DEFAULT_LIMITS) -> Policy:
    """Parse, check and compile a policy text. Raises PolicyError with every problem.

    ``text`` is a ``str``, or ``bytes`` decoded as UTF-8 as :func:`load` decodes a file
    (PK107 for bytes that are not UTF-8, PK110 for more than ``limits.max_bytes``);
    anything else raises TypeError naming its type.
    """
    if isinstance(text, bytes):
        text = _decoded(text, filename, limits)
    elif not isinstance(text, str):
        hint = "; read a file with policykit.load()" if isinstance(text, PurePath) else ""
        raise TypeError(f"loads() takes the policy text as str or UTF-8 bytes, not "
                        f"{type(text).__name__}{hint}")
    program = check(parse(text, filename, limits), filename)
    return Policy(program, compile_program(program), None)


def _decoded(raw: bytes, filename: str, limits: Limits) -> str:
    """``raw`` as UTF-8 text; PolicyError PK110 when too large, PK107 when not UTF-8."""
    if len(raw) > limits.max_bytes:
        diags = Collector(filename=filename)
        diags.error("PK110", f"the policy is more than {limits.max_bytes} bytes, the limit",
                    None, "split it")
        raise policy_error(diags.diagnostics)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        diags = Collector(filename=filename)
        diags.error("PK107", f"byte {err.start} is not valid UTF-8{encoding_hint(raw)}", None,
                    "save the file as UTF-8")
        raise policy_error(diags.diagnostics) from None


def load(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Policy:
    """Load a ``.policy`` file. Raises PolicyError for a file that cannot be read (PK502,
    also for a path that cannot name a file, such as one holding a NUL character)."""
    file = Path(path)
    name = _printable(str(file))  # diagnostics show the path: never a NUL or a surrogate
    try:
        with file.open("rb") as stream:  # no more than the limit allows (not /dev/zero)
            raw = stream.read(limits.max_bytes + 1)
    except (OSError, ValueError) as err:
        # ValueError: a NUL character in the path; UnicodeEncodeError (a ValueError): a
        # lone surrogate that the file system's encoding cannot write.
        if isinstance(err, OSError):
            reason = str(err.strerror or err)
        elif isinstance(err, UnicodeEncodeError):
            reason = "the path is not valid Unicode"
        else:
            reason = "the path holds a NUL character" if "\0" in str(file) else str(err)
        diags = Collector(filename=name)
        diags.error("PK502", f"cannot read the policy file: {reason}", None,
                    "check the path")
        raise policy_error(diags.diagnostics) from None
    policy = loads(_decoded(raw, name, limits), name, limits=limits)
    policy.path = file
    return policy


# ---------------------------------------------------------------- bundled policies


def _bundled_root() -> Traversable | Path:
    """Where the bundled policies are: inside the installed package, else the checkout."""
    packaged = resources.files("policykit").joinpath("_bundled")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "policies"


def _file_id(file: Traversable | Path, area: str) -> str:
    """The id a bundled file holds by convention: ``hunan/recognition.policy`` is
    ``hunan.recognition`` (a later version may be ``recognition@2020-01-01.policy``).
    A test checks that every file's header says the same id."""
    return f"{area}.{file.name.removesuffix('.policy').split('@')[0]}"


@functools.cache
def _files_by_id() -> dict[str, tuple[Traversable | Path, ...]]:
    """Every bundled policy file, by id, without reading any of them.

    Bounded by the files shipped in the package, so the cache cannot grow.
    """
    found: dict[str, list[Traversable | Path]] = {}
    root = _bundled_root()
    for area in sorted(root.iterdir(), key=lambda x: x.name):
        if area.is_dir():
            for file in sorted(area.iterdir(), key=lambda x: x.name):
                if file.name.endswith(".policy"):
                    found.setdefault(_file_id(file, area.name), []).append(file)
    return {pid: tuple(files) for pid, files in found.items()}


@functools.lru_cache(maxsize=64)
def _versions(policy_id: str) -> tuple[Policy, ...]:
    """The versions of one bundled policy, in order of entry into force (only ids of
    :func:`_files_by_id` reach here; the cache is capped all the same)."""
    loaded = []
    for file in _files_by_id()[policy_id]:
        policy = loads(file.read_text("utf-8"), f"policies/{_relative(file)}")
        policy.path = Path(str(file))
        loaded.append(policy)
    return tuple(sorted(loaded, key=lambda v: v.info.in_force_from or date.min))


def _relative(file: Traversable | Path) -> str:
    parts = str(file).replace("\\", "/").split("/")
    return "/".join(parts[-2:])


def bundled_ids() -> tuple[str, ...]:
    """Every bundled policy id, sorted (no policy is parsed to list them)."""
    return tuple(sorted(_files_by_id()))


def bundled(policy_id: str, on: date | None = None) -> Policy:
    """A bundled policy by id; with ``on``, the version in force that day."""
    ids = _files_by_id()
    if policy_id not in ids:
        suggestion = closest(policy_id, ids)
        hint = f"; did you mean {suggestion!r}?" if suggestion else \
            f"; the bundled ids are {', '.join(sorted(ids))}"
        raise UnknownPolicy(f"no bundled policy {policy_id!r}{hint}")
    versions = _versions(policy_id)
    if on is None:
        return versions[-1]
    for version in reversed(versions):
        if version.in_force(on):
            return version
    first = versions[0].info.in_force_from
    raise NotInForce(
        f"no version of {policy_id} was in force on {on.isoformat()}"
        + (f"; it took effect on {first.isoformat()}" if first and on < first else ""),
        first,
    )


def bundled_path(policy_id: str) -> Path | None:
    """The file the latest version of a bundled policy was read from."""
    return bundled(policy_id).path

"""policykit: Chinese innovation-policy instruments as declarative, explained rules.

The public surface (../shared/spec/api.md)::

    import policykit
    policy = policykit.bundled("hunan.recognition")
    result = policy.evaluate(record, as_of=date(2016, 9, 1))
    result.outcome, result.missing, result.pending, result.unresolved, result.failures
    result.explain(lang="zh"), result.to_dict()
"""

from __future__ import annotations

from policykit import records
from policykit.api import (
    NotInForce,
    Policy,
    RuleInfo,
    UnknownPolicy,
    bundled,
    bundled_ids,
    load,
    loads,
)
from policykit.errors import (
    PolicyError,
    PolicyLimitError,
    PolicyNameError,
    PolicySyntaxError,
    PolicyTypeError,
    PolicyUnitError,
    RecordError,
)
from policykit.evaluator import Result
from policykit.parser import Limits
from policykit.trace import Caveat, Failure

__version__ = "0.1.0"

__all__ = [
    "Caveat",
    "Failure",
    "Limits",
    "NotInForce",
    "Policy",
    "PolicyError",
    "PolicyLimitError",
    "PolicyNameError",
    "PolicySyntaxError",
    "PolicyTypeError",
    "PolicyUnitError",
    "RecordError",
    "Result",
    "RuleInfo",
    "UnknownPolicy",
    "__version__",
    "bundled",
    "bundled_ids",
    "load",
    "loads",
    "records",
]

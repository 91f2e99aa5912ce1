"""Versioned policy files: loading, validation, version selection, lint and diff.

``load_stack`` is the audit engine's entry point (contracts.md section 3).
"""

from auditor.policies.stack import PolicyStack, ResolvedPolicy, load_stack

__all__ = ["PolicyStack", "ResolvedPolicy", "load_stack"]

"""The audit engine: ``run_audit(AuditRequest) -> AuditResult`` (contracts.md section 4)."""

from auditor.engine.request import AuditRequest, AuditResult
from auditor.engine.run import audit_dataset, run_audit

__all__ = ["AuditRequest", "AuditResult", "audit_dataset", "run_audit"]

"""The words for a finding's grade and a KPI's status, in both languages: part of the
canonical vocabulary, so the policy views and every output say them alike."""

from __future__ import annotations

SEVERITIES = ("critical", "error", "warning", "info")  # most severe first

SEVERITY_LABEL = {
    "zh": {"critical": "严重", "error": "错误", "warning": "警告", "info": "提示"},
    "en": {"critical": "critical", "error": "error", "warning": "warning", "info": "info"},
}

KPI_STATUS_LABEL = {
    "zh": {"ok": "达标", "warning": "警告", "error": "错误", "n/a": "样本不足"},
    "en": {"ok": "ok", "warning": "warning", "error": "error", "n/a": "n/a"},
}

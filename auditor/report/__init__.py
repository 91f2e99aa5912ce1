"""Outputs of `auditor audit`: findings.json, violations.xlsx, the terminal summary.

Writers take ``(result, path, lang)`` (contracts.md section 4) and are registered in
:data:`auditor.report.outputs.WRITERS`; :func:`auditor.report.outputs.write_outputs` writes
them all atomically.
"""

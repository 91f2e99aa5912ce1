"""Exit codes, per SPEC section 2."""

EXIT_OK = 0
EXIT_FINDINGS = (
    1  # audit: a finding at or above --fail-on; validate: a data issue; policy check: lint findings
)
EXIT_ERROR = 2  # the run could not be done

SEVERITY_ORDER = ("info", "warning", "error", "critical")


def exit_code_for(severities: list[str] | set[str], fail_on: str) -> int:
    """EXIT_FINDINGS when any severity is at or above `fail_on` ('never' never fails)."""
    if fail_on == "never":
        return EXIT_OK
    threshold = SEVERITY_ORDER.index(fail_on)
    hit = any(SEVERITY_ORDER.index(s) >= threshold for s in severities if s in SEVERITY_ORDER)
    return EXIT_FINDINGS if hit else EXIT_OK

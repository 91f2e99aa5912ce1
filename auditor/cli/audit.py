"""`auditor audit` (being built: replaced by the module's owner)."""

import click


@click.command(name="audit")
def audit() -> None:
    """Not available yet."""
    raise click.ClickException("auditor audit is not available yet")

"""`auditor rules` (being built: replaced by the module's owner)."""

import click


@click.command(name="rules")
def rules() -> None:
    """Not available yet."""
    raise click.ClickException("auditor rules is not available yet")

"""`auditor validate` (being built: replaced by the module's owner)."""

import click


@click.command(name="validate")
def validate() -> None:
    """Not available yet."""
    raise click.ClickException("auditor validate is not available yet")

"""`auditor profiles` (being built: replaced by the module's owner)."""

import click


@click.command(name="profiles")
def profiles() -> None:
    """Not available yet."""
    raise click.ClickException("auditor profiles is not available yet")

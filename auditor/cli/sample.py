"""`auditor sample` (being built: replaced by the module's owner)."""

import click


@click.command(name="sample")
def sample() -> None:
    """Not available yet."""
    raise click.ClickException("auditor sample is not available yet")

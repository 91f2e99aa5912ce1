"""`auditor policy` (being built: replaced by the module's owner)."""

import click


@click.group(name="policy")
def policy() -> None:
    """Not available yet."""
    raise click.ClickException("auditor policy is not available yet")

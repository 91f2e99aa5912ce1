"""auditor: audit e-commerce after-sales exports against law and policy."""

__version__ = "0.1.0"

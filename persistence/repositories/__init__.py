"""Repositories: the domain's ports fulfilled with SQLAlchemy, one module per aggregate."""

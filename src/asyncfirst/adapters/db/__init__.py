"""The database adapter: SQLAlchemy Core tables, a UTC type, engines, migrations, repositories.

The only package that imports SQLAlchemy. Import the submodules you need; this package
re-exports nothing so that importing ``asyncfirst.adapters.db.errors`` stays cheap.
"""

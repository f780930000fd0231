"""Everything that talks to DuckDB: schema, versioned store, writes and reads.

All SQL of the product lives in this package, always with bound parameters.
"""

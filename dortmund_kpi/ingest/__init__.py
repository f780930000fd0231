"""Import: file -> read -> validate -> a new database version."""

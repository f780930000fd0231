"""Operating the product: the command line, backups, the server."""

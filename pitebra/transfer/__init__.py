"""Backup and restore of one agreement: `export_agreement` and `import_agreement`.

`graph` finds, through the app registry, which models belong to an agreement; `archive` writes
them (JSON, files, PDFs, a manifest of SHA-256 sums and the schema version) into a zip;
`restore` reads such a zip into another installation, all or nothing.
"""

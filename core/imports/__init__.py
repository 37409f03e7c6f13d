"""Taking over an agency's existing books: clients and orders from CSV / XLSX files.

``sources`` streams rows from a file (encoding and delimiter sniffed), ``fields`` maps headers
to our fields and parses values, ``clients`` and ``orders`` apply them in batches. The CLI
(``tourdesk clients import``, ``tourdesk orders import``) and the REST API call the same
functions; a dry run goes through the very same decisions and writes nothing.
"""

"""The annotation import: files.annotation_file_import is the one entry (command, API job); sets.py files
the records of a sets reader, conll.py those of a tokenized one; the checks a request can fail at once are
in checks.py."""

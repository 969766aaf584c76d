"""Annotations in and out of other tools: the formats (formats/, one module per tool, one table of them),
offset units (units.py), the export (export.py, options.py, records.py) and the annotation import
(importing/). Nothing here is imported by the package's __init__, so that a writer's module can import
records without a cycle."""

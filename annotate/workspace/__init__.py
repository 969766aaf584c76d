"""The annotation workspace, shared by the annotation page and the curation page: one code path.

- rendering: the text drawn with every span, line by line (a change re-renders only its lines);
- lists: the side lists of spans and events;
- loading: an annotation set (an annotator's task or a gold set) read in a fixed number of queries;
- changes: what a saved change sends back (the lines and list entries it touched);
- curation: every annotator's version of a document aligned, with the gold set beside them.

Changes themselves go through annotate.services.annotation_apply, for both pages."""

from annotate.rows import annotation_rows
from annotate.workspace.changes import changes_load, changes_window
from annotate.workspace.loading import Workspace, build_items, workspace_load
from annotate.workspace.rendering import Item, changed_lines, line_bounds, render_text

__all__ = [
    "Item",
    "Workspace",
    "annotation_rows",
    "build_items",
    "changed_lines",
    "changes_load",
    "changes_window",
    "line_bounds",
    "render_text",
    "workspace_load",
]

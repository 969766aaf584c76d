"""Who may browse and import. Staff may; so may anyone granted the model permissions (the demo's
"Corpus managers" group, which project managers join)."""


def can_browse(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_perm("corpus.view_document"))


def can_import(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_perm("corpus.add_document"))

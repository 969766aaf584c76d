"""What a model's predictions must pass beyond what any annotation set must (issue #18, bad predictions):
a model name of the form MODEL:VERSION that is not a person's account, and span edges on token boundaries.
A person may mark part of a word on purpose (Alt keeps exact characters); a model that cuts a token cut it
by mistake, and its suggestion would put half a word under the annotator's key."""

import re
from bisect import bisect_right

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from annotate.models import TrainedModel
from annotate.models.training import VERSION_NAME
from corpus.models import DocumentTokens
from corpus.tokens import unpack_edges

MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,60}:[A-Za-z0-9][A-Za-z0-9._+-]{0,60}")



def model_name_check(name: str):
    """The model's user if there is one yet (None if not); ValidationError for a name that is not
    MODEL:VERSION, or whose user is somebody's account."""
    trained = VERSION_NAME.fullmatch(name) if isinstance(name, str) else None
    if trained and not TrainedModel.objects.named(name).exists():
        raise ValidationError(_("%(name)r names a model trained here, and there is no such run; name your model "
                                "MODEL:VERSION.") % {"name": name})
    if not trained and (not isinstance(name, str) or not MODEL_NAME.fullmatch(name)):
        raise ValidationError(_("The model must be named MODEL:VERSION (letters, digits, . _ -), not %(name)r.")
                              % {"name": name})
    username = f"model:{name}"
    user = get_user_model().objects.filter(username=username).first()
    if user is not None and (user.has_usable_password() or user.is_staff or user.is_superuser):
        raise ValidationError(_("The user %(name)r is a person's account, not a model's: predictions are never "
                                "filed under it. Name the model differently.") % {"name": username})
    return user


def predictions_user(name: str):
    """The user that stands for a model's predictions (MODEL:VERSION): created without a password, so that
    nobody logs in as it. A name that is not MODEL:VERSION, or whose user is somebody's account, is refused."""
    user = model_name_check(name)
    if user is None:
        user = get_user_model()(username=f"model:{name}")
        user.set_unusable_password()
        user.save()
    return user


def token_edges(document_ids) -> dict[int, tuple[list[int], list[int]]]:
    """Each document's token starts and ends, one query."""
    return {doc: unpack_edges(tokens) for doc, tokens in
            DocumentTokens.objects.filter(document_id__in=list(document_ids)).values_list("document_id", "tokens")}


def inside_token(offset: int, edges: tuple[list[int], list[int]]) -> bool:
    starts, ends = edges
    i = bisect_right(starts, offset) - 1
    return i >= 0 and starts[i] < offset < ends[i]


def edge_problems(number: int, text: str, marks, edges) -> list[str]:
    """marks: (what, start, end) in stored offsets; a problem for each edge inside a token."""
    problems = []
    for what, start, end in marks:
        for offset in (start, end):
            if inside_token(offset, edges):
                problems.append(_("line %(line)s: %(what)s at %(start)s–%(end)s (%(text)r) has an edge inside a "
                                  "token: predictions must cover whole tokens") % {
                    "line": number, "what": what, "start": start, "end": end, "text": text[start:end]})
                break
    return problems

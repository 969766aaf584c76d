"""A person's own API token (DRF's authtoken), seen, made and replaced on /accounts/token: a script of
theirs calls the API as them without an administrator running `manage.py drf_create_token`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from rest_framework.authtoken.models import Token


@transaction.atomic
def api_token_replace(*, user) -> Token:
    """A new token for `user`; the one they had (if any) stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@never_cache  # the page shows a credential: no cache keeps it
@login_required
def api_token_view(request):
    if request.method == "POST":
        had = Token.objects.filter(user=request.user).exists()
        api_token_replace(user=request.user)
        messages.success(request, _("A new token is ready; the old one no longer works.") if had
                         else _("Your token is ready."))
        return redirect("api_token")
    token = Token.objects.filter(user=request.user).first()
    curl = f'curl -H "Authorization: Token {token.key}" {request.build_absolute_uri(reverse("api-me"))}' if token else ""
    return render(request, "registration/api_token.html", {"token": token, "curl": curl, "title": _("API token")})

from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's own wiring that needs the app registry: signal receivers (config/accounts.py)."""

    name = "config"
    label = "site"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from config.accounts import csrf_secret_at_login

        user_logged_in.connect(csrf_secret_at_login, dispatch_uid="csrf-secret-at-login")

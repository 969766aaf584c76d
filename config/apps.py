from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's own wiring that needs the app registry: signal receivers (config/accounts.py,
    config/language.py), and what it keeps per user (config/models.py)."""

    name = "config"
    label = "site"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from config.accounts import csrf_secret_at_login
        from config.language import language_at_login

        user_logged_in.connect(csrf_secret_at_login, dispatch_uid="csrf-secret-at-login")
        user_logged_in.connect(language_at_login, dispatch_uid="language-at-login")

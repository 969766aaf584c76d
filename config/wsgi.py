import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.warmup import warm_up  # noqa: E402 -- needs the settings configured above

warm_up()

# What is loaded by now lives as long as the process. Left to the collector, every collection in a worker
# forked from this process (gunicorn --preload) writes into those objects and copies their pages, and the
# workers soon hold private copies of what they could share: frozen, the collector leaves them alone.
gc.freeze()

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
application = get_wsgi_application()

# The objects alive now (Django, the apps, the HUD spec tables: about 100,000) live as long as the worker. Left
# to the garbage collector, every full collection visits all of them, 35-50 ms, in whichever request triggers
# it (about every 25th client search at 1.5M clients: docs/PERFORMANCE.md, "Client search"). Frozen, only the
# objects of requests are visited. With gunicorn --preload this also keeps the forked workers' copies of these
# pages shared.
gc.freeze()

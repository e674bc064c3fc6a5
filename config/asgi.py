"""HTTP through Django; websockets (`/ws/notifications/`) through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django is set up first: everything imported below needs the apps loaded.
http_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from notifications.auth import TokenOrSessionAuthMiddleware  # noqa: E402
from notifications.routing import websocket_urlpatterns  # noqa: E402
from workflows.timers import start_in_process  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": TokenOrSessionAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)

# The one-person default fires deadline timers in this process (CASEWORK["TIMERS_IN_PROCESS"]);
# production runs `manage.py run_timers` instead.
start_in_process()

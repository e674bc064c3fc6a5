"""The emergency fund's API, under /api/ beside the petitions' (included before their catch-all)."""

from rest_framework.routers import SimpleRouter

from . import api

app_name = "fund-api"

router = SimpleRouter()
router.register("releases", api.ReleaseViewSet, basename="release")
router.register("write-offs", api.WriteOffViewSet, basename="write-off")
router.register("funds", api.FundViewSet, basename="fund")

urlpatterns = [*router.urls]

"""How often a person may search the petitions: one limit, counted per user in the cache and
shared by the case list page and the API, so that guessing a worker by searching takes too long
to be worth it."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class SearchRateThrottle(UserRateThrottle):
    scope = "search"

    def get_rate(self):
        return settings.CASEWORK["SEARCH_RATE"]

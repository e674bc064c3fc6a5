"""Pure helpers with no models, used by every app: money, PRC identifiers, spreadsheets,
redirects, text cut to a field's length, signals that name their receivers. Nothing here imports
a project app (see `importlinter` in pyproject.toml)."""

"""The figures of a unit and its sub-units for a period: the statistics page, its Excel export
and the API. Read from the case records themselves (`figures.services`)."""

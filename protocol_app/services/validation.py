"""Field checks, kept under their old name for the modules that still import them
from here; they live in :mod:`protocol_app.records.fields` (pure, no SQLAlchemy)."""

from protocol_app.records.fields import (  # noqa: F401
    MAX_LONG,
    MAX_SHORT,
    choice_problem,
    country_name,
    country_problem,
    date_range_problem,
    email_problem,
    is_date,
    is_record_number,
    language_problem,
    text_problem,
    timezone_problem,
    visit_status_change_problem,
)

"""Data files of Protocol Desk (fonts, icons, demo data); read them through
:func:`protocol_app.resources.resource_path`."""

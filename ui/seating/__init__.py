"""The seating page, in parts.

* :mod:`ui.seating.geometry` - where tables, seats and labels go (pure maths, no Qt);
* :mod:`ui.seating.items` - the graphics items of a seat and a table top;
* :mod:`ui.seating.view` - the scene of a plan and the view that shows it;
* :mod:`ui.seating.page` - :class:`~ui.seating.page.SeatingView`, the page itself;
* :mod:`ui.seating.dialogs` - the seating options dialog.
"""

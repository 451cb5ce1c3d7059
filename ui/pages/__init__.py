"""The main window's pages: welcome, visits, a visit's workspace (overview, delegation,
itinerary, gifts) and people."""

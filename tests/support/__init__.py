"""Helpers shared by the tests (builders, readers, servers, data); no tests here."""

"""The domain of Accoglienza: entities, rules, services and queries.

This package never imports PySide6: it is usable from the command line and tests.
"""

"""The domain of Accoglienza: entities, rules, use cases by area and reads (see backend.py).

This package never imports PySide6: it is usable from the command line and tests.
"""

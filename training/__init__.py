"""Fitting the content models and writing what ships (`make train`).

It imports the `cleaner` package and is never imported by it: the wheel holds what runs.
"""

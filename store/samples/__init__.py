"""Synthetic, deterministic sample data: job postings and CVs.

Import the generator from :mod:`store.samples.generate` (kept out of this ``__init__`` so that
``python -m store.samples.generate`` runs without a double-import warning).
"""

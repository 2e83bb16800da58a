"""The reference page of bench/pages.py: 50 rows from one query rendered in a template (never in product URLs)."""

"""A Django site used only by ``bench_pages``: the product's settings and URLs plus one bare view.

Never part of the product: ``bench.pages_site.settings`` is named only by the bench's gunicorn.
"""

"""The review site: every parsed article beside its source page, as static offline HTML.

``source`` loads pages (a release with its seeds, or page files parsed on the fly),
``lines`` and ``views`` turn them into what the templates show, ``charts`` draws the
index's statistics as inline SVG, and ``site`` writes the folder.
"""

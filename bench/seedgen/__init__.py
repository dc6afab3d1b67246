"""Renderers for the benchmark corpus, vendored from the seed article's generator scripts.

Source: ``shared/corpus/seed-article/`` of the team's shared folder (make_twocolumn.py,
make_endnotes.py, pdfgen_common.py, placeholder_image.py). The article itself,
``article.markup.json``, is read in place from that folder (``common.SEED_MARKUP``): the
benchmark, like the tests, needs the shared folder beside the clone, and no data of it is copied
into the project. The scripts were adapted to render any article dict to
any path (instead of the one seed article to a fixed file), and the two-column footnote
placement was made cheaper (see ``twocolumn.py``). ``plaintext.py`` is new.
"""

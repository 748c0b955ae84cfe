"""The A4 printer's codec: a document laid out as PDF by Qt's own PDF writer (QtGui).

The one module outside ``ui/`` that may import QtGui (``tests/unit/test_layers.py`` names it):
laying out a page with CJK text needs a font engine and a PDF writer, and Qt's is already in
the product. It uses only ``QPdfWriter``/``QPainter``/``QTextDocument`` — no widgets, no QML, no
event loop — and turns plain data into bytes, like every other codec under ``drivers/``.
"""

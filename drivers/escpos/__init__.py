"""ESC/POS: ticket bytes built over python-escpos's raw API, an independent decoder, status
(``DLE EOT``), transports from URLs, and an emulator that renders what it receives to PNG."""

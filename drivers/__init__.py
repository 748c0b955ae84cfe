"""Concrete device protocols: pure codecs, transports and emulators. The only layer with bytes."""

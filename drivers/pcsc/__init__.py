"""PC/SC smart cards: APDU codec, card profiles as data, and a vpcd card emulator."""

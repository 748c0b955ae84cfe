"""QR / barcode scanners: serial line framing, HID keyboard wedge, camera decoders."""

"""GA 467 SAM serial protocol of second-generation ID-card readers: codec, transport, emulator."""

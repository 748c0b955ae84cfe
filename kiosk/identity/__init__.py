"""Who is in front of the terminal: classification of scanned payloads and offline codes."""

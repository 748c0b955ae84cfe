"""Technician tools behind ``kiosk devices …`` and ``kiosk emulate …`` (probe, testers,
decoders, emulator front ends). Imported only when their subcommand runs."""

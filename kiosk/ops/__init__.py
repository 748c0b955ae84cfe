"""Operations: systemd readiness and watchdog, vitals for the heartbeat, diagnostics bundles."""

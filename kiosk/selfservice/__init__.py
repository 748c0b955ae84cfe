"""24-hour self-service: a person's e-licences, prefilled application forms, applications with
photographed materials delivered to the platform exactly once (``docs/platform-api.md``,
"Self-service")."""

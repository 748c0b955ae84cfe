"""Device abstraction: one interface per kind, the state model, the driver registry, the manager."""

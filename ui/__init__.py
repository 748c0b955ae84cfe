"""Qt Quick screens and their Python view-models; the only layer that imports Qt GUI modules."""

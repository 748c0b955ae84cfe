"""View-models: QObjects that QML binds to. They hold no device or network handles; the core
pushes results in through signals queued onto the GUI thread."""

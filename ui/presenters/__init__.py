"""One presenter per screen (``ui/presenters/<screen>.py`` beside ``qml/screens/<screen>.qml``
and ``viewmodels/<screen>.py``): it turns the screen's intents into calls on the core's façade
(``kiosk.facade.Kiosk``) on a worker thread, and the answers into view-model state on the GUI
thread. No SQL, no service internals, no device access here: that is the core's job."""

"""RS-485 window LED screens, caller keypads and evaluation pads: a frame-template codec with
vendor presets, a bus transport shared by many addresses, and an emulator of a whole bus."""

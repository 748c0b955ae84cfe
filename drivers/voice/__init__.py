"""Voice announcement engines: recorded clips, espeak-ng, Qt TextToSpeech, SYN6288 modules."""

"""Synthetic report corpora with labels: `ogi synth` (the benchmark and the labelled scale
tests) and the hand-written sample corpus (scripts/make_sample_corpus.py) share these parts."""

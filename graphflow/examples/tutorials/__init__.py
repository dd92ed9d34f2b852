"""``graphflow.examples.tutorials``: TF1's tutorial helpers."""

"""``graphflow.examples``: the import paths of TF1's ``tensorflow.examples``."""

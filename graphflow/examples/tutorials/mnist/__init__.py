"""``graphflow.examples.tutorials.mnist``: home of the lecture's ``input_data`` module."""

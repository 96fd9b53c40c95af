"""Imported once by the batch pool's fork server when the workers will run the models.

Loads the trained spaCy pipeline and the role classifier (and jieba) before any worker
exists, so that each worker is forked with them in memory: the models are read from
disk once per batch, not once per worker, and the workers share their pages.
"""
from pipeline.batch import warm_up

warm_up("combined")

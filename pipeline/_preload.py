"""Imported once by the batch pool's fork server, never by user code.

Importing this module loads jieba's dictionary (the 1.3 s every worker would otherwise
spend on ``marshal.load``).  Each pool worker is then forked from the warm server and
starts in milliseconds, sharing the dictionary's pages until it writes to them.  Only
pure-Python state is loaded here: no model, no BLAS threads, nothing unsafe to fork.
"""
from pipeline.batch import warm_up

warm_up("pattern")

"""The Datasette plugins directory of ``zhibiao serve`` (``--plugins-dir``)."""

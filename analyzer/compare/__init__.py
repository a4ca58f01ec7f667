"""Analysis across documents: two versions of one document aligned clause by clause
(``diff.py``, its schema in ``diff_schema.py``), and the screening policy (``screening.py``).
Reports render what these compute (``analyzer/report/``)."""

"""Scenarios of monetised resettlement shares: parameters as data → results per county, city, province.

- ``parameters.yaml`` / :mod:`.params`: the parameters (value, unit, range, description, reference) and a
  :class:`~.params.Scenario`, built from a dict of changes validated whole;
- :mod:`.presets`: each county's share under a preset and the city and county settings;
- :mod:`.engine`: inputs from the store (SQL) and the arithmetic, with deltas against a reference;
- :mod:`.state`: a scenario ↔ the ``s`` parameter of a link; :mod:`.report`: tables, summary, Excel;
- :mod:`.cli`: ``python -m analysis scenario``.
"""

"""The deployment engine: takes tasks from the bus, runs MuranoPL, sends results back.

* :mod:`package_loader` — a ``fornace.dsl`` package source over the catalog DB;
* :mod:`execution` — one task (deploy, action, deletion, static action, schema);
* :mod:`lease` — per-environment fencing and the redelivery record;
* :mod:`worker` — the bus consumer (``fornace engine``);
* :mod:`results` — the API-side consumer of results and reports.

See docs/engine.md.
"""

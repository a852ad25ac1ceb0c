"""The ITManagerJobs domain: pure rules and the ports they need.

Nothing here performs I/O or imports a framework or driver. Use cases in
``itmj_domain.services`` take ports (``itmj_domain.ports``) and are wired to adapters by
``itmj_adapters.composition``.
"""

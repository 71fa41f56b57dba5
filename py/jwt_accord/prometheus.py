"""A ``prometheus_client`` collector for a ``jwt_accord.Service``.

Needs the optional dependency ``prometheus-client``
(``pip install 'jwt-accord[prometheus]'``); ``import jwt_accord`` never imports it.

Example:
    >>> from prometheus_client import REGISTRY  # doctest: +SKIP
    >>> REGISTRY.register(ServiceCollector(service))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from jwt_accord._native import Service

try:
    from prometheus_client.metrics_core import (
        CounterMetricFamily,
        GaugeMetricFamily,
        Metric,
    )
except ModuleNotFoundError:  # pragma: no cover - depends on the environment
    raise ImportError(
        "jwt_accord.prometheus needs prometheus-client: pip install 'jwt-accord[prometheus]'"
    ) from None

__all__ = ["ServiceCollector"]


class ServiceCollector:
    """Exposes a service's metrics through a ``prometheus_client`` registry.

    Each scrape reads the service's current counts: the same families,
    samples and values as ``Service.metrics()`` (``jwt_accord_key_info``,
    ``jwt_accord_verifications_total``, ``jwt_accord_signatures_total``).

    Args:
        service: The service whose metrics are collected.
    """

    def __init__(self, service: Service) -> None:
        if not isinstance(service, Service):
            raise TypeError(f"service must be a jwt_accord.Service, not {type(service).__name__}")
        self._service = service

    def collect(self) -> Iterator[Metric]:
        """The metric families, built from the core's ``metric_families_json()``.

        Yields:
            A ``GaugeMetricFamily`` or ``CounterMetricFamily`` per family.
        """
        for family in json.loads(self._service.metric_families_json()):
            metric: GaugeMetricFamily | CounterMetricFamily
            if family["type"] == "counter":
                # CounterMetricFamily adds the ``_total`` suffix itself.
                name = family["name"].removesuffix("_total")
                metric = CounterMetricFamily(name, family["help"], labels=family["labels"])
            else:
                metric = GaugeMetricFamily(family["name"], family["help"], labels=family["labels"])
            for values, value in family["samples"]:
                # Fewer values than labels: the rest are absent (zip stops).
                metric.add_metric(values, value)
            yield metric

    def __repr__(self) -> str:
        return f"<ServiceCollector {self._service!r}>"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and benchmark data and their commands (`seed_demo`, `seed_bench`); no models."""

    name = "demo"

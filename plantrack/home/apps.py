from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Site-wide pages that draw on several apps (the home page, the search page) and ``load_default``, which loads
    the embedded default of every app. It sits at the top: it imports the domain apps and none imports it."""

    name = "plantrack.home"
    label = "home"
    verbose_name = "Trang chủ"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()

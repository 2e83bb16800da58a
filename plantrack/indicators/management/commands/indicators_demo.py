"""Load or remove the demo figures of the indicators (labelled as demo data everywhere they show)."""

from django.core.management.base import BaseCommand

from plantrack.indicators.demo import demo_figures_load, demo_figures_remove
from plantrack.indicators.services import definitions_load_defaults
from plantrack.plans.models import Plan


class Command(BaseCommand):
    help = "Nạp (hoặc xóa với --remove) số liệu chỉ tiêu minh họa (demo) của các kế hoạch mặc định."

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true", help="Xóa toàn bộ số liệu demo.")

    def handle(self, *args, remove: bool = False, **options):
        if remove:
            count = demo_figures_remove()
            self.stdout.write(f"Đã xóa {count} số liệu demo.")
            return
        for plan in Plan.objects.all():
            definitions_load_defaults(plan=plan)
            count = demo_figures_load(plan=plan)
            self.stdout.write(f"Kế hoạch {plan.code}: thêm {count} số liệu demo.")

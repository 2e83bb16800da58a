"""Versions the home page's cached blocks need beyond those of ``monitoring.cache_versions``: a plan's own row
(number, title, dates, published or not) shows in the plan list, the coordination block and the summaries, so saving
or deleting a plan bumps "plan:<id>" in the same transaction (which also refreshes any other cache keyed on it)."""

from django.db.models.signals import post_delete, post_save

from plantrack.core.versions import bump, plan_key


def _on_plan(sender, instance, **kwargs):
    bump(plan_key(instance.pk))


def connect() -> None:
    from plantrack.plans.models import Plan

    post_save.connect(_on_plan, sender=Plan, dispatch_uid="home-cache-version-plan-save")
    post_delete.connect(_on_plan, sender=Plan, dispatch_uid="home-cache-version-plan-delete")

"""What a change to a plan's own rows invalidates: the plan page's cached body (``plans.views.plan_detail``).

Tasks, task groups, assignments and targets already bump "plan:<id>" (``plantrack.monitoring.cache_versions``);
these receivers add the rest of what the plan page shows, in the transaction that writes it: the plan row itself
(title, number, coordinator), its references, recipients, outline, section IV duties (and their groups), and its
amendments (the "sửa đổi theo …" notes and the cancelled badges).
"""

from django.db.models.signals import m2m_changed

from plantrack.core.versions import bump, connect_bumps, plan_key


def _on_plan(sender, instance, **kwargs):
    bump(plan_key(instance.pk))


def _on_plan_child(sender, instance, **kwargs):
    if instance.plan_id:
        bump(plan_key(instance.plan_id))


def _on_amendment_change(sender, instance, **kwargs):
    from .models import Amendment  # local import: models load after this module (apps.ready connects it)

    plan_id = Amendment.objects.filter(pk=instance.amendment_id).values_list("plan_id", flat=True).first()
    if plan_id:
        bump(plan_key(plan_id))


def _on_duty_groups(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        plan_id = getattr(instance, "plan_id", None)
        if plan_id:
            bump(plan_key(plan_id))


def connect() -> None:
    from .models import Amendment, AmendmentChange, OutlineNode, Plan, PlanDuty, PlanRecipient, PlanReference

    receivers = [
        (Plan, _on_plan),
        (PlanReference, _on_plan_child),
        (PlanRecipient, _on_plan_child),
        (OutlineNode, _on_plan_child),
        (PlanDuty, _on_plan_child),
        (Amendment, _on_plan_child),
        (AmendmentChange, _on_amendment_change),
    ]
    connect_bumps(receivers, prefix="plans")
    m2m_changed.connect(
        _on_duty_groups, sender=PlanDuty.groups.through, dispatch_uid="plans-cache-version-duty-groups"
    )

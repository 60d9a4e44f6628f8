"""How the campaigns app answers a change of a campaign's configuration: a category, field,
criterion or rubric line saved or deleted (in the admin, by the loader, anywhere) moves the
campaign's revision on, so every process reads the configuration again (``configuration.py``).

A row written as stored (``raw``: restoring a backup, loading a fixture) moves nothing: its
campaign's row comes with the revision it had."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import configuration
from .models import Category, Criterion, FieldSpec, RubricItem


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Criterion)
def campaign_row_changed(sender, instance, using, raw=False, **kwargs):
    """A row that names its campaign itself."""
    if raw:
        return
    configuration.changed(instance.campaign_id, using)


@receiver([post_save, post_delete], sender=FieldSpec)
@receiver([post_save, post_delete], sender=RubricItem)
def category_row_changed(sender, instance, using, raw=False, **kwargs):
    """A row of a category: its campaign is the category's (read with it, or asked for; none
    when the category went first, whose own deletion moved the revision on)."""
    if raw:
        return
    if sender.category.is_cached(instance):
        campaign_id = instance.category.campaign_id
    else:
        found = Category.objects.using(using).filter(pk=instance.category_id)
        campaign_id = found.values_list("campaign_id", flat=True).first()
    if campaign_id is not None:
        configuration.changed(campaign_id, using)

from django.contrib import admin

from .models import Campaign, Category, Criterion, FieldSpec, RubricItem


class CategoryInline(admin.TabularInline):
    model = Category
    fields = ["order", "key", "name", "rule_prefix", "photo_min", "photo_max"]
    extra = 0
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "level", "region", "deadline", "quota_per_unit", "loaded_at"]
    list_filter = ["level", "year"]
    search_fields = ["title", "key", "document_number"]
    readonly_fields = ["source", "source_name", "loaded_at"]
    inlines = [CategoryInline]


class FieldSpecInline(admin.TabularInline):
    model = FieldSpec
    fields = ["order", "key", "label", "kind", "required", "public", "personal"]
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["order", "rule_id", "check_kind", "field", "params", "severity", "text"]
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "key", "rule_prefix", "photo_min", "photo_max"]
    list_filter = ["campaign"]
    inlines = [FieldSpecInline, CriterionInline]


@admin.register(FieldSpec)
class FieldSpecAdmin(admin.ModelAdmin):
    list_display = ["label", "category", "key", "kind", "required", "public", "personal"]
    list_filter = ["category__campaign", "kind", "public", "personal"]
    search_fields = ["label", "key"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["rule_id", "category", "check_kind", "field", "severity"]
    list_filter = ["campaign", "check_kind", "severity"]
    search_fields = ["rule_id", "text"]


@admin.register(RubricItem)
class RubricItemAdmin(admin.ModelAdmin):
    list_display = ["label", "category", "key", "max_score", "weight"]
    list_filter = ["category__campaign"]

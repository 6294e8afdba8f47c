"""URLs of steps 1–3, all under /agreements/<agreement_pk>/."""

from django.urls import path, register_converter

from .views import documents, excel, facts, imports, items, plan, situation

app_name = "plans"


class ItemKindConverter:
    """The collection of a plan item in its URL (`goals/`), the item's kind in the view (`goal`)."""

    KINDS = {
        "goals": "goal",
        "strategies": "strategy",
        "activities": "activity",
        "promises": "promise",
    }
    regex = "|".join(KINDS)

    def to_python(self, value):
        return self.KINDS[value]

    def to_url(self, value):
        plurals = {kind: plural for plural, kind in self.KINDS.items()}
        if value not in plurals:
            raise ValueError(value)  # reverse() then says there is no such URL
        return plurals[value]


register_converter(ItemKindConverter, "item_kind")

urlpatterns = [
    # Step 1: facts
    path("facts/", facts.indicator_list, name="indicator-list"),
    path("facts/indicators/new/", facts.indicator_create, name="indicator-create"),
    path("facts/indicators/<int:pk>/", facts.indicator_detail, name="indicator-detail"),
    path("facts/indicators/<int:pk>/edit/", facts.indicator_edit, name="indicator-edit"),
    path("facts/import/csv/", imports.import_csv, name="import-csv"),
    path("facts/import/kolada/", facts.import_kolada_file, name="import-kolada"),
    path("facts/documents/", documents.document_list, name="document-list"),
    path(
        "facts/documents/<int:pk>/download/",
        documents.document_download,
        name="document-download",
    ),
    path("facts/sources/", documents.source_list, name="source-list"),
    path("facts/sources/<int:pk>/edit/", documents.source_edit, name="source-edit"),
    # Step 2: the joint situation picture
    path("situation/", situation.situation_list, name="situation-list"),
    path("situation/<int:year>/start/", situation.situation_start, name="situation-start"),
    path("situation/pictures/<int:pk>/", situation.situation_detail, name="situation-detail"),
    path("situation/pictures/<int:pk>/edit/", situation.situation_edit, name="situation-edit"),
    path(
        "situation/pictures/<int:pk>/approve/",
        situation.situation_approve,
        name="situation-approve",
    ),
    path(
        "situation/pictures/<int:pk>/new-version/",
        situation.situation_new_version,
        name="situation-new-version",
    ),
    path(
        "situation/pictures/<int:picture_pk>/problems/new/",
        situation.problem_create,
        name="problem-create",
    ),
    path("situation/problems/<int:pk>/edit/", situation.problem_edit, name="problem-edit"),
    path("situation/problems/<int:pk>/delete/", situation.problem_delete, name="problem-delete"),
    # Step 3: the implementation plan
    path("plans/", plan.plan_list, name="plan-list"),
    path("plans/new/", plan.plan_create, name="plan-create"),
    path("plans/<int:year>/", plan.plan_detail, name="plan-detail"),
    path("plans/<int:year>/adopt/", plan.plan_adopt, name="plan-adopt"),
    path("plans/<int:year>/roll-over/", plan.plan_roll_over, name="plan-roll-over"),
    path("plans/<int:year>/compare/", plan.plan_compare, name="plan-compare"),
    path("plans/<int:year>/as-of/", plan.plan_as_of, name="plan-as-of"),
    path("plans/<int:year>/timeline/", plan.plan_timeline, name="plan-timeline"),
    path("plans/<int:year>/export.xlsx", excel.plan_export_xlsx, name="plan-export-xlsx"),
    path("plans/<int:year>/export.csv", excel.plan_export_csv, name="plan-export-csv"),
    path("plans/<int:year>/import/", imports.plan_import, name="plan-import"),
    path("plans/<int:year>/imports/<int:pk>/", imports.plan_import_job, name="plan-import-job"),
    path("plans/<int:year>/goals/new/", items.goal_create, name="goal-create"),
    path("plans/<int:year>/promises/new/", items.promise_create, name="promise-create"),
    path("goals/<int:pk>/edit/", items.goal_edit, name="goal-edit"),
    path("goals/<int:goal_pk>/strategies/new/", items.strategy_create, name="strategy-create"),
    path("strategies/<int:pk>/edit/", items.strategy_edit, name="strategy-edit"),
    path(
        "strategies/<int:strategy_pk>/activities/new/",
        items.activity_create,
        name="activity-create",
    ),
    path("activities/<int:pk>/", items.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", items.activity_edit, name="activity-edit"),
    path("promises/<int:pk>/edit/", items.promise_edit, name="promise-edit"),
    # Moving and deleting work alike for every kind of item: `goals/<pk>/move/` and so on.
    path("<item_kind:kind>/<int:pk>/move/", items.item_move, name="item-move"),
    path("<item_kind:kind>/<int:pk>/delete/", items.item_delete, name="item-delete"),
]

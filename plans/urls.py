"""URLs of steps 1–3, all under /agreements/<agreement_pk>/."""

from django.urls import path, re_path

from .views import excel, items, plan

app_name = "plans"

ITEM = r"^(?P<kind>goal|strategy|activity|promise)/(?P<pk>[0-9]+)/"

urlpatterns = [
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
    path("plans/<int:year>/import/", excel.plan_import, name="plan-import"),
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
    re_path(ITEM + r"move/$", items.item_move, name="item-move"),
    re_path(ITEM + r"delete/$", items.item_delete, name="item-delete"),
]

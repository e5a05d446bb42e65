"""Routes of the readiness app's evidence pages (written out, see ARCHITECTURE.md §5)."""

from django.urls import URLPattern, path

from . import views_evidence as v

urlpatterns: list[URLPattern] = [
    path("requirements/", v.RequirementListView.as_view(), name="requirement_list"),
    path("requirements/new/", v.RequirementFormView.as_view(), name="requirement_create"),
    path("requirements/import/", v.RequirementImportView.as_view(), name="requirement_import"),
    path("requirements/<int:pk>/", v.RequirementDetailView.as_view(), name="requirement_detail"),
    path("requirements/<int:pk>/edit/", v.RequirementFormView.as_view(), name="requirement_update"),
    path(
        "requirements/<int:pk>/deactivate/",
        v.requirement_deactivate,
        name="requirement_deactivate",
    ),
    path("evidence/mine/", v.evidence_mine, name="evidence_mine"),
    path("evidence/file/", v.evidence_submit, name="evidence_submit"),
    path("evidence/review/", v.EvidenceReviewView.as_view(), name="evidence_review"),
    path("evidence/<int:pk>/", v.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/approve/", v.evidence_approve, name="evidence_approve"),
    path("evidence/<int:pk>/return/", v.evidence_return, name="evidence_return"),
    path("evidence/files/<int:pk>/", v.evidence_file, name="evidence_file"),
    path("dossier/", v.completeness, name="completeness"),
    path("dossier/export/", v.dossier_export, name="dossier_export"),
]

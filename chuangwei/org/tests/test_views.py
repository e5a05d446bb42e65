"""Org pages: what they show."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from chuangwei.org.models import ResponsibilityAgreement
from chuangwei.org.services import save_responsibility_agreement


def test_agreement_page_names_the_signed_document_once(
    client_as: Any, org_tree: Any, personas: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    agreement = ResponsibilityAgreement(unit=org_tree["street_a"], year=2027, title="2027年责任书")
    agreement.document = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed")
    saved = save_responsibility_agreement(agreement, by=personas["office"])
    html = (
        client_as("office").get(reverse("org:agreement_detail", args=[saved.pk])).content.decode()
    )
    with translation.override("zh-hans"):
        label = translation.gettext("Signed document")
    assert html.count(label) == 1
    assert reverse("org:agreement_document", args=[saved.pk]) in html

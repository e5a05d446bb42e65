"""Organisation services: the responsibility agreement's signed document."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwei.org.models import ResponsibilityAgreement
from chuangwei.org.services import save_responsibility_agreement


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_signed_document_is_stored_under_the_agreement_year(org_tree, personas, media):
    agreement = ResponsibilityAgreement(unit=org_tree["street_a"], year=2027, title="2027年责任书")
    agreement.document = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed")
    saved = save_responsibility_agreement(agreement, by=personas["office"])
    assert saved.document.name == "agreements/2027/signed.pdf"
    assert (media / "agreements" / "2027" / "signed.pdf").read_bytes() == b"%PDF-1.4 signed"


def test_resaving_keeps_the_stored_document(org_tree, personas, media):
    agreement = ResponsibilityAgreement(unit=org_tree["street_a"], year=2027, title="2027年责任书")
    agreement.document = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed")
    save_responsibility_agreement(agreement, by=personas["office"])
    agreement.title = "2027年目标责任书"
    saved = save_responsibility_agreement(agreement, by=personas["office"])
    assert saved.document.name == "agreements/2027/signed.pdf"

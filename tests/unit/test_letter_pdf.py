"""Letters as PDF, read back with pypdf: the amounts, the file number, the address, the
officer's name and the page numbers are text of the document; the fonts are embedded and
the file declares PDF/A-2U."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pypdf
import pytest

from services.applications.catalogue.models import Organisation
from services.applications.office.bescheid import build_bescheid
from services.applications.office.documents import _ascii, wants_pdf
from services.applications.office.letter import NO_ADDRESS, Letter
from services.applications.office.letter_pdf import render_pdf
from services.applications.office.reclaim import ReclaimFacts, build_reclaim_notice
from shared.contracts.eligibility import ApplicantType
from shared.contracts.grants import Deadlines
from tests.unit.test_bescheid import _application, _organisation, _round


def _addressed(**address: str) -> Organisation:
    organisation = _organisation(ApplicantType.district)
    values = {"street": "Südring 2", "postal_code": "34497", "city": "Korbach", **address}
    for field, value in values.items():
        setattr(organisation, field, value)
    return organisation


def _bescheid(organisation: Organisation, **application: object) -> Letter:
    return build_bescheid(
        application=_application(**application),
        organisation=organisation,
        round_=_round(),
        priority_title="WIR-Koordination (Integrationsmanagement)",
        deadlines=Deadlines(),
        reports=[
            (1, datetime(2028, 6, 30, 21, 59, 59, tzinfo=UTC)),
            (0, datetime(2028, 9, 30, 21, 59, 59, tzinfo=UTC)),
        ],
        signer="Jonas Becker",
    )


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_the_bescheid_pdf_holds_amounts_file_number_address_signer_and_page_numbers() -> None:
    letter = _bescheid(_addressed(addressee="Fachdienst Migration"))
    pages = _pages(render_pdf(letter))
    text = "\n".join(pages)
    for expected in (
        "110.000,00 EUR",  # granted
        "120.000,00 EUR",  # a cost line
        "137.500,50 EUR",  # the eligible costs
        "27.500,50 EUR",  # own contribution
        "Aktenzeichen a-1",
        "Landkreis Waldeck-Frankenberg\nFachdienst Migration\nSüdring 2\n34497 Korbach",
        "vom 01.04.2027 bis zum 31.03.2028",
        "Jonas Becker",
        "ANBest-GK",
        "Widerspruch",
    ):
        assert expected in text, expected
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in page


def test_the_file_number_is_the_aktenzeichen() -> None:
    application = _application(file_number="WIR-2027/0042")
    letter = build_bescheid(
        application=application,
        organisation=_addressed(),
        round_=_round(),
        priority_title="x",
        deadlines=Deadlines(),
        reports=None,
    )
    assert letter.file_number == "WIR-2027/0042"
    assert "Aktenzeichen WIR-2027/0042" in "\n".join(_pages(render_pdf(letter)))
    assert letter.signer == "approver.b"  # no display name given: the user id


def test_an_organisation_without_address_gets_a_letter_that_says_so() -> None:
    letter = _bescheid(_organisation(ApplicantType.district))
    assert letter.address == ["Landkreis Waldeck-Frankenberg", NO_ADDRESS]
    assert NO_ADDRESS in _pages(render_pdf(letter))[0]


def test_the_pdf_embeds_its_fonts_and_declares_pdf_a_2u() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(_bescheid(_addressed()))))
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert {name.split("+")[-1] for name in fonts} == {"FiraSans", "FiraSansBold"}
    assert all("/FontFile2" in descriptor for descriptor in fonts.values())
    root: Any = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>U</pdfaid:conformance>" in xmp
    assert "/OutputIntents" in root


def test_the_same_letter_gives_the_same_pdf_text() -> None:
    letter = _bescheid(_addressed())
    assert _pages(render_pdf(letter)) == _pages(
        render_pdf(Letter.model_validate(letter.model_dump(mode="json")))
    )


def test_the_rueckforderungsbescheid_pdf() -> None:
    facts = ReclaimFacts(
        file_number="a-1",
        round_id="2027",
        round_title="Förderrunde 2027",
        project_title="WIR-Koordination",
        address=["Verein Miteinander e.V.", "Am Markt 1", "35037 Marburg"],
        granted_amount=Decimal("75000"),
        paid_amount=Decimal("50000"),
        spent_amount=Decimal("42000"),
        reclaim_amount=Decimal("8000"),
        approved_at=datetime(2027, 3, 15, 10, tzinfo=UTC),
        decided_at=datetime(2028, 11, 2, 10, tzinfo=UTC),
        decided_by="petra",
        signer="Petra Schneider",
    )
    text = "\n".join(_pages(render_pdf(build_reclaim_notice(facts, reason="Stelle unbesetzt"))))
    for expected in (
        "Rückforderungsbescheid",
        "8.000,00 EUR",
        "75.000,00 EUR",
        "Im Einzelnen: Stelle unbesetzt",
        "Am Markt 1\n35037 Marburg",
        "Datum 02.11.2028",
        "Petra Schneider",
        "Seite 1 von",
    ):
        assert expected in text, expected
    without = "\n".join(_pages(render_pdf(build_reclaim_notice(facts, reason=None))))
    assert "Im Einzelnen" not in without and "8.000,00 EUR" in without


@pytest.mark.parametrize(
    ("accept", "pdf"),
    [
        (None, False),
        ("text/html", False),
        ("application/pdf", True),
        ("text/html, application/pdf", False),  # a tie: HTML
        ("text/html;q=0.5, application/pdf", True),
        ("application/pdf;q=0.9, */*;q=0.1", True),
        ("*/*", False),
        ("application/pdf;q=nonsense, text/html;q=0.1", False),
    ],
)
def test_accept_decides_between_html_and_pdf(accept: str | None, pdf: bool) -> None:
    assert wants_pdf(accept) is pdf


def test_download_names_are_plain_ascii() -> None:
    assert _ascii("Rückforderungsbescheid-WIR-2027-0042.pdf") == (
        "Rueckforderungsbescheid-WIR-2027-0042.pdf"
    )
    assert _ascii('a"b\\c\u202e.pdf') == "a_b_c_.pdf"


def test_a_long_name_is_cut_short_so_postal_code_and_city_stay_in_the_window() -> None:
    organisation = _addressed(addressee="Fachbereich Soziales, Jugend und Integration")
    organisation.name = "Interkultureller Förderverein " * 7  # 210 characters
    first_page = _pages(render_pdf(_bescheid(organisation)))[0]
    assert "Südring 2\n34497 Korbach" in first_page
    assert "…" in first_page

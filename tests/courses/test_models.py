"""Page tree rules and the editor's validation of sessions and agendas."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError

from courses.blocks import AgendaItemBlock, DayBlock
from courses.models import HomePage, ModulePage, ProgrammeIndexPage, ProgrammePage, SessionPage

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2027, 3, 22)


def test_the_page_tree_only_allows_home_index_programme_then_modules_and_sessions():
    assert ProgrammeIndexPage.allowed_parent_page_models() == [HomePage]
    assert ProgrammePage.allowed_parent_page_models() == [ProgrammeIndexPage]
    assert set(ProgrammePage.allowed_subpage_models()) == {ModulePage, SessionPage}
    assert ModulePage.allowed_subpage_models() == [] and SessionPage.allowed_subpage_models() == []
    assert not SessionPage.can_exist_under(ProgrammeIndexPage())
    assert not ModulePage.can_exist_under(HomePage())


def session(**fields) -> SessionPage:
    defaults = {"title": "S", "slug": "s", "start_date": MONDAY, "end_date": MONDAY + datetime.timedelta(days=4),
                "city": "Amman", "country": "JO"}  # fmt: skip
    return SessionPage(**{**defaults, **fields})


@pytest.mark.parametrize("days", [5, 6])
def test_a_session_of_five_or_six_days_is_accepted(days):
    session(end_date=MONDAY + datetime.timedelta(days=days - 1)).clean()


@pytest.mark.parametrize("days", [1, 4, 7])
def test_another_length_is_refused_with_a_clear_message(days):
    with pytest.raises(ValidationError) as error:
        session(end_date=MONDAY + datetime.timedelta(days=days - 1)).clean()
    assert f"this one lasts {days}" in str(error.value.message_dict["end_date"])


def test_an_organiser_may_allow_another_length_but_must_say_why():
    with pytest.raises(ValidationError) as error:
        session(end_date=MONDAY + datetime.timedelta(days=2), allow_other_length=True).clean()
    assert "other_length_reason" in error.value.message_dict
    session(end_date=MONDAY + datetime.timedelta(days=2), allow_other_length=True,
            other_length_reason="A three-day refresher for alumni").clean()  # fmt: skip


def test_the_last_day_cannot_come_before_the_first():
    with pytest.raises(ValidationError) as error:
        session(end_date=MONDAY - datetime.timedelta(days=1)).clean()
    assert "cannot be before" in str(error.value.message_dict["end_date"])


def item(start: str, end: str, title: str = "Item") -> dict:
    return {"start": datetime.time.fromisoformat(start), "end": datetime.time.fromisoformat(end), "module": None,
            "title": title, "facilitator": ""}  # fmt: skip


def test_overlapping_agenda_items_are_refused_and_named():
    block = DayBlock()
    value = block.to_python({"date": "2027-03-22", "items": []})
    value = block.clean(value)  # an empty day is fine
    day = {"date": MONDAY, "items": [item("09:00", "12:30", "Law"), item("12:00", "13:00", "Lunch")]}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python(block.get_prep_value(block.normalize(day))))
    message = str(error.value.non_block_errors[0])
    assert "“Law” (09:00–12:30) overlaps “Lunch” (from 12:00)" in message


def test_an_item_must_end_after_it_starts_and_have_a_title_or_module():
    block = AgendaItemBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.normalize(item("10:00", "09:00", title="")))
    assert set(error.value.block_errors) == {"end", "title"}


def agenda_messages(error: ValidationError) -> str:
    """The messages the editor shows above the agenda field."""
    (stream_error,) = error.error_dict["agenda"]
    return " ".join(message for e in stream_error.non_block_errors.as_data() for message in e.messages)


def test_agenda_days_outside_the_session_are_refused(demo):
    upcoming = SessionPage.objects.get(slug="amman-upcoming", locale__language_code="en")
    upcoming.agenda = [
        ("day", {"date": upcoming.end_date + datetime.timedelta(days=1), "items": [item("09:00", "10:00")]})
    ]
    with pytest.raises(ValidationError) as error:
        upcoming.full_clean()
    assert "outside the session's dates" in agenda_messages(error.value)


def test_agenda_modules_must_belong_to_the_sessions_programme(demo):
    upcoming = SessionPage.objects.get(slug="amman-upcoming", locale__language_code="en")
    index = ProgrammeIndexPage.objects.get(locale__language_code="en")
    other = index.add_child(instance=ProgrammePage(title="Other programme", slug="other", summary="Another course."))
    stranger = other.add_child(instance=ModulePage(title="A module of another programme", slug="stranger"))
    agenda_item = {**item("09:00", "10:00"), "module": stranger}
    upcoming.agenda = [("day", {"date": upcoming.start_date, "items": [agenda_item]})]
    with pytest.raises(ValidationError) as error:
        upcoming.full_clean()
    assert "is not a module of this programme" in agenda_messages(error.value)


def test_module_duration_is_the_sum_of_its_activities(demo):
    module = ModulePage.objects.get(slug="referral", locale__language_code="en")
    assert module.duration_minutes == 80 + 180

"""Pages kept in the shared cache are rendered again when what they show changes (courses.fragment_cache).

Topics: ("survey", pk) for a questionnaire's results, "instruments" for every questionnaire's questions, "network"
for the network's figures and maps, "directory" for the alumni directory."""

from courses.fragment_cache import touch


def on_response_changed(sender, instance, **kwargs) -> None:
    touch(("survey", instance.survey_id))


def on_survey_changed(sender, instance, **kwargs) -> None:
    touch(("survey", instance.pk), ("cohort", instance.cohort_id))


def on_instrument_changed(sender, **kwargs) -> None:
    touch("instruments")


def on_tie_changed(sender, **kwargs) -> None:
    touch("network")


def on_listing_changed(sender, **kwargs) -> None:
    touch("directory", "network")  # the alumnus's map shows the sectors people share

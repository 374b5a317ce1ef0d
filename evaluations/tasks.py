"""Background jobs of the evaluations app. They take primary keys and call services."""


def run_schedule() -> dict:
    from . import services

    return services.run_schedule()


# Emails go through the outbox (courses.tasks). These two take the tasks queued before it existed.


def send_survey_email(delivery_id: int, kind: str, number: int = 0) -> bool:
    from .services.surveys import _queue

    return _queue(delivery_id, kind, number)


def send_daily_debrief(survey_id: int) -> bool:
    from .services.surveys import _owe_debrief

    return _owe_debrief(survey_id)

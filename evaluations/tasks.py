"""Background jobs of the evaluations app. They take primary keys and call services."""


def run_schedule() -> dict:
    from . import services

    return services.run_schedule()


def send_survey_email(delivery_id: int, kind: str, number: int = 0) -> bool:
    from . import notifications

    return notifications.send_survey_email(delivery_id=delivery_id, kind=kind, number=number)


def send_daily_debrief(survey_id: int) -> bool:
    from . import notifications

    return notifications.send_daily_debrief(survey_id=survey_id)

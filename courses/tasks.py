"""Background jobs of the courses app (the bottom layer): the outbox every other app sends its email through."""


def deliver_emails(ids: list[int]) -> dict[str, int]:
    from . import outbox

    return outbox.deliver_many(ids)


def sweep_outbox() -> dict[str, int]:
    from . import outbox

    return outbox.sweep()

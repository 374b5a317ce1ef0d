"""The outbox from the command line: what is owed, queue it again, or send it here and now (after an incident)."""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Emails owed by the platform: 'status', 'sweep' (queue again what is stuck), 'drain' (send all here)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "sweep", "drain"])
        parser.add_argument("--timeout", type=float, default=300, help="drain: give up after this many seconds")

    def handle(self, *args, action, timeout, **options):
        from courses import outbox

        if action == "status":
            result = outbox.backlog()
        elif action == "sweep":
            result = outbox.sweep()
        else:
            result = outbox.drain(timeout=timeout)
        self.stdout.write(json.dumps(result))
        if action == "drain" and result.get("left"):
            raise SystemExit(1)

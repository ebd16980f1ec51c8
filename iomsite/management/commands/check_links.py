from django.core.management.base import BaseCommand

from iomsite.workflow import links
from iomsite.workflow.models import BrokenLink


class Command(BaseCommand):
    help = (
        "Find broken links in content and store them for the admin report (Editorial workflow > Broken links). "
        "Links on this site are always checked; links to other websites only with --external."
    )

    def add_arguments(self, parser):
        parser.add_argument("--external", action="store_true", help="Also check links to other websites.")
        parser.add_argument("--timeout", type=float, default=5.0, help="Seconds to wait for one website (5).")
        parser.add_argument("--max-external", type=int, default=200, help="Check at most this many addresses (200).")
        parser.add_argument(
            "--time-limit", type=float, default=120.0, help="Stop checking other websites after this many seconds."
        )
        parser.add_argument("--host", default=None, help="Host name for the internal requests (first ALLOWED_HOSTS).")
        parser.add_argument(
            "--allow-private",
            action="store_true",
            help="Also check addresses on private networks (off: content cannot make the server probe its network).",
        )

    def handle(self, *args, external=False, timeout=5.0, max_external=200, time_limit=120.0, **options):
        found = links.collect()
        internal = [url for url in found if not links.is_external(url)]
        outside = [url for url in found if links.is_external(url)]
        broken = links.check_internal(internal, host=options.get("host"))
        kinds = [BrokenLink.Kind.INTERNAL]
        summary = f"{len(internal)} links on this site checked, {len(broken)} broken."
        if external:
            broken_outside, unchecked = links.check_external(
                outside,
                timeout=timeout,
                limit=max_external,
                time_limit=time_limit,
                allow_private=options.get("allow_private", False),
            )
            broken.update(broken_outside)
            kinds.append(BrokenLink.Kind.EXTERNAL)
            summary += f" {len(outside) - unchecked} links to other websites checked, {len(broken_outside)} broken"
            summary += f", {unchecked} not checked (limits)." if unchecked else "."
        else:
            summary += f" {len(outside)} links to other websites not checked (use --external)."
        rows = links.store(found, broken, kinds)
        self.stdout.write(f"{summary} {len(rows)} problems in the report.")

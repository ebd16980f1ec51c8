"""YouTube and Vimeo addresses: recognised, validated, turned into privacy-enhanced embeds.

Nothing here talks to the network: a video is known by its address alone, so a
page that lists videos makes no request to the video sites until a visitor asks.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}
YOUTUBE_HOSTS |= {"www.youtube-nocookie.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_PATHS = re.compile(r"^/(?:embed|shorts|live|v)/(?P<id>[A-Za-z0-9_-]{11})/?$")
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
VIMEO_PATH = re.compile(
    r"^/(?:video/|channels/[\w-]+/|groups/[\w-]+/videos/)?(?P<id>\d{1,12})(?:/(?P<hash>[0-9a-f]{6,20}))?/?$"
)
TIME = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?$")

INVALID_MESSAGE = _(
    "Enter the address of a YouTube or Vimeo video, for example https://www.youtube.com/watch?v=… "
    "or https://vimeo.com/123456789. Videos from other sites cannot be shown."
)


@dataclass(frozen=True)
class VideoRef:
    provider: str  # "youtube" or "vimeo"
    video_id: str
    start: int = 0  # seconds
    hash: str = ""  # Vimeo's key for unlisted videos

    @property
    def provider_label(self):
        return "YouTube" if self.provider == "youtube" else "Vimeo"

    @property
    def watch_url(self):
        """The video on its own site: where a visitor goes without our embed."""
        if self.provider == "youtube":
            suffix = f"&t={self.start}s" if self.start else ""
            return f"https://www.youtube.com/watch?v={self.video_id}{suffix}"
        path = f"{self.video_id}/{self.hash}" if self.hash else self.video_id
        return f"https://vimeo.com/{path}" + (f"#t={self.start}s" if self.start else "")

    def embed_url(self, autoplay=False):
        """A privacy-enhanced player: youtube-nocookie.com, or Vimeo with Do Not Track."""
        if self.provider == "youtube":
            params = {"rel": 0}
            if self.start:
                params["start"] = self.start
            if autoplay:
                params["autoplay"] = 1
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}?{urlencode(params)}"
        params = {"dnt": 1}
        if self.hash:
            params["h"] = self.hash
        if autoplay:
            params["autoplay"] = 1
        url = f"https://player.vimeo.com/video/{self.video_id}?{urlencode(params)}"
        return url + (f"#t={self.start}s" if self.start else "")


def _seconds(value):
    match = TIME.match(value or "")
    if not value or not match:
        return 0
    return int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)


def parse_video_url(url):
    """A ``VideoRef`` for a YouTube or Vimeo address, or ``None`` for anything else."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or parts.username or parts.password or parts.port:
        return None
    host = (parts.hostname or "").lower()
    query = parse_qs(parts.query)
    if host in YOUTUBE_HOSTS:
        video_id = None
        if parts.path in {"/watch", "/watch/"}:
            video_id = (query.get("v") or [""])[0]
        elif match := YOUTUBE_PATHS.match(parts.path):
            video_id = match["id"]
        if video_id and YOUTUBE_ID.match(video_id):
            start = _seconds((query.get("t") or query.get("start") or [""])[0])
            return VideoRef("youtube", video_id, start)
        return None
    if host == "youtu.be":
        video_id = parts.path.strip("/")
        if YOUTUBE_ID.match(video_id):
            return VideoRef("youtube", video_id, _seconds((query.get("t") or [""])[0]))
        return None
    if host in VIMEO_HOSTS:
        match = VIMEO_PATH.match(parts.path)
        if match and (host == "player.vimeo.com") == parts.path.startswith("/video/"):
            fragment_time = parts.fragment[2:] if parts.fragment.startswith("t=") else ""
            video_hash = match["hash"] or (query.get("h") or [""])[0]
            if video_hash and not re.fullmatch(r"[0-9a-f]{6,20}", video_hash):
                return None
            return VideoRef("vimeo", match["id"], _seconds(fragment_time), video_hash)
    return None


def validate_video_url(value):
    if parse_video_url(value) is None:
        raise ValidationError(INVALID_MESSAGE, code="invalid_video_url")

import pytest
from django.core.exceptions import ValidationError

from themes.video import parse_video_url, validate_video_url

ID = "abcdefghijk"


@pytest.mark.parametrize(
    ("url", "provider", "video_id", "start"),
    [
        (f"https://www.youtube.com/watch?v={ID}", "youtube", ID, 0),
        (f"https://youtube.com/watch?v={ID}&list=PL1&index=2", "youtube", ID, 0),
        (f"https://m.youtube.com/watch?v={ID}&t=1m30s", "youtube", ID, 90),
        (f"http://www.youtube.com/watch?v={ID}", "youtube", ID, 0),
        (f"https://youtu.be/{ID}", "youtube", ID, 0),
        (f"https://youtu.be/{ID}?t=42", "youtube", ID, 42),
        (f"https://www.youtube.com/embed/{ID}", "youtube", ID, 0),
        (f"https://www.youtube.com/shorts/{ID}", "youtube", ID, 0),
        (f"https://www.youtube.com/live/{ID}", "youtube", ID, 0),
        (f"https://www.youtube-nocookie.com/embed/{ID}?start=10", "youtube", ID, 10),
        ("https://vimeo.com/123456789", "vimeo", "123456789", 0),
        ("https://vimeo.com/123456789#t=65s", "vimeo", "123456789", 65),
        ("https://vimeo.com/channels/staffpicks/123456789", "vimeo", "123456789", 0),
        ("https://player.vimeo.com/video/123456789", "vimeo", "123456789", 0),
        ("  https://vimeo.com/123456789  ", "vimeo", "123456789", 0),
    ],
)
def test_youtube_and_vimeo_addresses_are_recognised(url, provider, video_id, start):
    ref = parse_video_url(url)
    assert (ref.provider, ref.video_id, ref.start) == (provider, video_id, start)
    validate_video_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "https://example.org/video.mp4",
        "https://www.dailymotion.com/video/x7tgad0",
        "https://www.youtube.com/",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=abcdefghijk<script>",
        "https://www.youtube.com/channel/UC1234567890",
        "https://youtu.be/",
        "https://youtube.com.evil.example/watch?v=abcdefghijk",
        "https://evil.example/?u=https://www.youtube.com/watch?v=abcdefghijk",
        "javascript:alert(1)//youtube.com/watch?v=abcdefghijk",
        "ftp://www.youtube.com/watch?v=abcdefghijk",
        "https://user:pw@www.youtube.com/watch?v=abcdefghijk",
        "https://vimeo.com/",
        "https://vimeo.com/about",
        "https://player.vimeo.com/123456789",
        "https://vimeo.com/video/123456789",
    ],
)
def test_anything_else_is_refused_with_a_clear_message(url):
    assert parse_video_url(url) is None
    with pytest.raises(ValidationError) as error:
        validate_video_url(url)
    assert "YouTube or Vimeo" in error.value.messages[0]


def test_privacy_enhanced_players_and_watch_links():
    youtube = parse_video_url(f"https://www.youtube.com/watch?v={ID}&t=90")
    assert youtube.embed_url() == f"https://www.youtube-nocookie.com/embed/{ID}?rel=0&start=90"
    assert youtube.embed_url(autoplay=True).endswith("&autoplay=1")
    assert youtube.watch_url == f"https://www.youtube.com/watch?v={ID}&t=90s"
    vimeo = parse_video_url("https://vimeo.com/123456789/abcdef1234")
    assert vimeo.embed_url() == "https://player.vimeo.com/video/123456789?dnt=1&h=abcdef1234"
    assert vimeo.watch_url == "https://vimeo.com/123456789/abcdef1234"
    assert vimeo.provider_label == "Vimeo"

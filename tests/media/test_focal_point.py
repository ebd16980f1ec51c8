"""Focal points: card and header crops keep what the editor marked in view (issue 26)."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from iomsite.models import Image
from iomsite.renditions import focal_box
from tests.iomsite.factories import make_image
from tests.media.test_media_workflow import change_image, image_form
from tests.publications.factories import make_publication
from tests.themes.factories import make_theme

pytestmark = pytest.mark.django_db

BLUE, GREEN = (0, 51, 160), (0, 160, 60)


def striped_image(**fields):
    """1000 × 500, blue, with a green stripe along the right edge (x ≥ 940)."""
    picture = PILImage.new("RGB", (1000, 500), BLUE)
    picture.paste(GREEN, (940, 0, 1000, 500))
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    image = Image(title="Stripe", alt_text="A green stripe on blue.", **fields)
    image.file = ContentFile(buffer.getvalue(), name="stripe.png")
    image.save()
    return image


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return PILImage.open(BytesIO(b"".join(response.streaming_content))).convert("RGB")


def near(pixel, colour):
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def test_focal_box_keeps_the_point_inside_and_the_box_inside_the_image():
    assert focal_box((1000, 500), (3, 2), (50, 50)) == (125, 0, 875, 500)
    assert focal_box((1000, 500), (3, 2), (90, 50)) == (250, 0, 1000, 500)  # pushed against the edge
    assert focal_box((1000, 500), (3, 2), (0, 0)) == (0, 0, 750, 500)
    assert focal_box((600, 900), (3, 1), (50, 10)) == (0, 0, 600, 200)
    assert focal_box((600, 900), (3, 1), (50, 80)) == (0, 620, 600, 820)


def test_card_crop_follows_the_focal_point(client):
    centred = striped_image()
    url, width, height = centred.crop_renditions("card")[-1]
    assert (width, height) == (750, 500)
    picture = fetch(client, url)
    assert picture.size == (750, 500)
    assert near(picture.getpixel((749, 250)), BLUE)  # the stripe is cut off around the centre
    right = striped_image(focal_x=95)
    picture = fetch(client, right.crop_renditions("card")[-1][0])
    assert near(picture.getpixel((749, 250)), GREEN) and near(picture.getpixel((0, 250)), BLUE)


def test_header_crop_and_smaller_widths(client):
    image = striped_image(focal_y=0)
    renditions = image.crop_renditions("header", max_width=640)
    assert [(w, h) for _u, w, h in renditions] == [(320, 107), (640, 213)]
    assert fetch(client, renditions[0][0]).size == (320, 107)


def test_a_new_focal_point_gives_new_addresses_and_old_ones_404(client, publisher_client):
    image = striped_image()
    old = image.crop_renditions("card")[0][0]
    response = change_image(publisher_client, image, focal_x=95, focal_y=40)
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (95, 40)
    assert image.crop_renditions("card")[0][0] != old
    assert client.get(old).status_code == 404


@pytest.mark.parametrize("crop", ["square", "card"])
def test_unknown_crops_and_widths_are_404(client, crop):
    image = striped_image()
    assert client.get(f"/media/renditions/{image.pk}/{image.crop_version}-333-{crop}.webp").status_code == 404


def test_theme_cards_use_the_crop(client):
    image = striped_image(focal_x=95)
    make_theme("labour-migration", image=image)
    html = client.get("/en/themes/").content.decode()
    assert image.crop_renditions("card")[0][0] in html


def test_focal_point_out_of_range_is_a_form_error(publisher_client):
    image = make_image()
    response = change_image(publisher_client, image, focal_x=150)
    assert response.status_code == 200 and response.context["adminform"].form.errors["focal_x"]


def test_the_change_page_offers_the_click_and_the_keyboard_fields(publisher_client):
    image = make_image()
    html = publisher_client.get(f"/admin/iomsite/image/{image.pk}/change/").content.decode()
    assert "data-focal-point" in html and 'name="focal_x"' in html and 'name="focal_y"' in html
    assert "iomsite/focal-point.js" in html


def test_an_editors_new_focal_point_on_a_live_image_is_a_draft(editor_client):
    image = make_image()
    make_publication(cover=image)
    change_image(editor_client, image, focal_x=10)
    image.refresh_from_db()
    assert image.focal_x == 50 and image.draft == {"focal_x": 10}
    assert image_form(image)["title"] == image.title

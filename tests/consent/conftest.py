import pytest
from django.urls import reverse

from tests.factories.accounts import TEST_PASSWORD


@pytest.fixture
def read_sections():
    """Read and acknowledge sections as the logged-in patient would, answering rightly."""

    def read(client, version, *, upto=None):
        client.post(reverse("consent:start"))
        for section in version.sections.order_by("position"):
            if upto is not None and section.position > upto:
                break
            client.get(reverse("consent:step", args=[section.position]))
            if section.has_question:
                client.post(
                    reverse("consent:answer", args=[section.position]),
                    {"choice": section.correct_choice},
                )
            response = client.post(
                reverse("consent:acknowledge", args=[section.position]), {"confirmed": "on"}
            )
            assert response.status_code == 303, response.content.decode()[:500]

    return read


@pytest.fixture
def signed_consent(client, patient, consent_version, read_sections):
    """The patient has read everything and signed version 1."""
    from consent.models import Consent

    client.force_login(patient)
    read_sections(client, consent_version)
    response = client.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD},
    )
    assert response.status_code == 303
    client.logout()
    return Consent.objects.get(patient=patient, signature__isnull=False)

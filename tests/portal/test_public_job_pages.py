"""The public job pages over HTTP: the list and its filters, one job and its way to apply,
and the apply form as a browser sends it (multipart, with the session's CSRF token)."""

import re
from datetime import timedelta

import pytest
from falcon.testing import Result
from urllib3 import encode_multipart_formdata

from itmj_domain.jobs import ApplyMethod
from itmj_domain.pagination import PageRequest
from itmj_domain.services.job_board import APPLICATIONS_PER_ADDRESS, MAX_CV_BYTES
from tests.documents import docx_with, pdf_with
from tests.portal.support import FormBrowser
from tests.use_cases.test_webhooks import active_job

HERE = "203.0.113.7"


def posted(services, employer_name: str = "Acme", **content):
    employer = services.accounts.create_employer(employer_name)
    job = active_job(services, employer.id)
    if content:
        job = services.jobs.edit(employer.id, job.id, content)
    return job


def send(visitor: FormBrowser, job_id: int, fields: dict[str, str],
         cv: tuple[str, bytes, str] | None = None, token: str | None = None) -> Result:
    """The apply form as a browser posts it: the file input's part is there even when no
    file was chosen (no name, no bytes)."""
    parts: dict[str, str | tuple[str, bytes, str]] = {
        "csrf_token": (visitor.token or "") if token is None else token, **fields,
        "cv": cv or ("", b"", "application/octet-stream"),
    }
    body, content_type = encode_multipart_formdata(parts)
    return visitor._keep(visitor.client.simulate_post(
        f"/jobs/{job_id}", body=body, headers={"Content-Type": content_type},
        cookies=visitor._cookies(), remote_addr=visitor.address,
    ))


FIELDS = {"name": "Grace Hopper", "email": "grace@navy.example", "phone": "",
          "cover_note": "Hello.", "cv_text": ""}


def applications(services, job) -> list:
    return list(services.applications.list_for_job(
        job.employer_id, job.id, None, PageRequest()).items)


@pytest.fixture
def visitor(client) -> FormBrowser:
    return FormBrowser(client, address=HERE)


def test_the_list_shows_open_jobs_with_their_employer_and_filters(visitor, portal_services,
                                                                  clock):
    posted(portal_services, "Acme", title="Head of Cloud", country="Germany")
    clock.advance(timedelta(minutes=1))
    posted(portal_services, "Globex", title="Service Desk Lead", country="United Kingdom",
           city="Leeds")
    page = visitor.get("/jobs")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.text.index("Service Desk Lead") < page.text.index("Head of Cloud")
    assert "Globex · Leeds, United Kingdom" in page.text
    assert "2 open jobs." in page.text
    assert '<option value="Germany">Germany</option>' in page.text
    assert "<script" not in page.text
    filtered = visitor.get("/jobs?q=cloud&country=germany")
    assert "Head of Cloud" in filtered.text and "Service Desk Lead" not in filtered.text
    assert "1 open job matches your search." in filtered.text
    too_long = visitor.get("/jobs?q=" + "x" * 201)
    assert too_long.status_code == 400
    assert "A search is at most 200 characters." in too_long.text


def test_the_list_pages_through_twenty_jobs_at_a_time_keeping_the_search(visitor,
                                                                         portal_services):
    for _ in range(21):
        posted(portal_services, description="Lead a cloud team.")
    first = visitor.get("/jobs?q=cloud")
    assert first.text.count('class="card job-item"') == 20
    assert 'href="/jobs?page=2&amp;q=cloud" rel="next"' in first.text
    assert visitor.get("/jobs?page=2&q=cloud").text.count('class="card job-item"') == 1


def test_a_job_that_is_not_open_is_the_same_404_as_a_missing_one(visitor, portal_services,
                                                                 clock):
    closed = posted(portal_services)
    portal_services.jobs.deactivate(closed.employer_id, closed.id)
    draft = portal_services.jobs.create(closed.employer_id, closed.content)
    expiring = posted(portal_services)
    clock.advance(timedelta(days=30))
    answers = [visitor.get(f"/jobs/{job_id}")
               for job_id in (closed.id, draft.id, expiring.id, 999_999)]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1
    assert "This job is not open" in answers[0].text
    assert visitor.get("/jobs/not-a-number").status_code == 404


def test_email_and_url_apply_jobs_show_their_way_without_a_form(visitor, portal_services):
    by_email = posted(portal_services, apply_method=ApplyMethod.EMAIL_APPLY,
                      apply_email_address="jobs@acme.example", reference="ACME-7")
    page = visitor.get(f"/jobs/{by_email.id}")
    assert 'href="mailto:jobs@acme.example"' in page.text
    assert "<form method=\"post\"" not in page.text
    by_url = posted(portal_services, apply_method=ApplyMethod.URL_APPLY,
                    apply_url="https://ats.example.com/apply?id=7&src=itmj")
    page = visitor.get(f"/jobs/{by_url.id}")
    assert ('<a class="button" href="https://ats.example.com/apply?id=7&amp;src=itmj" '
            'rel="noopener nofollow">') in page.text
    visitor.get(f"/jobs/{posted(portal_services).id}")
    refused = send(visitor, by_url.id, FIELDS, ("cv.pdf", pdf_with("CV"), "application/pdf"))
    assert refused.status_code == 404
    assert applications(portal_services, by_url) == []


def test_applying_with_a_pdf_sends_the_application_and_says_so(visitor, portal_services):
    job = posted(portal_services)
    form = visitor.get(f"/jobs/{job.id}")
    assert 'enctype="multipart/form-data"' in form.text
    sent = send(visitor, job.id, FIELDS, ("cv.pdf", pdf_with("Grace", "COBOL"), "application/pdf"))
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"/jobs/{job.id}")
    thanks = visitor.get(f"/jobs/{job.id}")
    assert "Thank you, Grace Hopper: your application is sent." in thanks.text
    [application] = applications(portal_services, job)
    assert application.applicant.cv_text == "Grace\nCOBOL"
    assert application.applicant.phone is None
    assert application.application_type is ApplyMethod.PORTAL_APPLY


def test_a_file_is_known_by_its_content_not_its_name(visitor, portal_services):
    job = posted(portal_services)
    visitor.get(f"/jobs/{job.id}")
    named_wrong = send(visitor, job.id, FIELDS,
                       ("cv.txt", docx_with("Grace", "Compilers"), "text/plain"))
    assert named_wrong.status_code == 303
    visitor.get(f"/jobs/{job.id}")
    posing = send(visitor, job.id, {**FIELDS, "email": "other@example.com"},
                  ("cv.pdf", b"I am only text", "application/pdf"))
    assert posing.status_code == 400
    assert "A CV must be a PDF or DOCX file." in posing.text
    assert 'value="other@example.com"' in posing.text
    assert [a.applicant.email for a in applications(portal_services, job)] == [
        "grace@navy.example"
    ]


def test_a_refused_form_is_shown_again_with_the_error_under_its_field(visitor, portal_services):
    job = posted(portal_services)
    visitor.get(f"/jobs/{job.id}")
    refused = send(visitor, job.id, {**FIELDS, "email": "grace"}, None)
    assert refused.status_code == 400
    assert re.search(r'aria-invalid="true" aria-describedby="email-error"', refused.text)
    assert '<p class="error" id="email-error">Email must be an email address.</p>' in (
        refused.text
    )
    no_cv = send(visitor, job.id, FIELDS)
    assert '<p class="error" id="cv-error">Upload your CV as a PDF or DOCX file, or paste ' \
           'it.</p>' in no_cv.text
    assert applications(portal_services, job) == []


def test_the_form_needs_the_sessions_csrf_token(visitor, portal_services):
    job = posted(portal_services)
    visitor.get(f"/jobs/{job.id}")
    for token in ("", "forged"):
        refused = send(visitor, job.id, {**FIELDS, "cv_text": "CV"}, token=token)
        assert refused.status_code == 403
    assert applications(portal_services, job) == []


def test_a_second_application_is_answered_kindly_and_changes_nothing(visitor, portal_services):
    job = posted(portal_services)
    visitor.get(f"/jobs/{job.id}")
    assert send(visitor, job.id, {**FIELDS, "cv_text": "First"}).status_code == 303
    visitor.get(f"/jobs/{job.id}")
    again = send(visitor, job.id, {**FIELDS, "cv_text": "Second"})
    assert again.status_code == 303
    page = visitor.get(f"/jobs/{job.id}")
    assert "You have already applied to this job with this email address." in page.text
    [application] = applications(portal_services, job)
    assert application.applicant.cv_text == "First"


def test_too_large_a_file_is_refused(visitor, portal_services):
    job = posted(portal_services)
    visitor.get(f"/jobs/{job.id}")
    over_cap = send(visitor, job.id, FIELDS,
                    ("cv.pdf", b"%PDF-" + b"x" * MAX_CV_BYTES, "application/pdf"))
    assert over_cap.status_code == 400
    assert "A CV file must be at most 5 MB." in over_cap.text
    far_over = send(visitor, job.id, FIELDS,
                    ("cv.pdf", b"%PDF-" + b"x" * (3 * MAX_CV_BYTES), "application/pdf"))
    assert far_over.status_code == 413
    assert applications(portal_services, job) == []


def test_an_address_that_applies_too_often_is_told_when_to_come_back(visitor, portal_services):
    jobs = [posted(portal_services) for _ in range(2)]
    for n in range(APPLICATIONS_PER_ADDRESS.limit):
        visitor.get(f"/jobs/{jobs[n % 2].id}")
        sent = send(visitor, jobs[n % 2].id,
                    {**FIELDS, "email": f"p{n}@example.com", "cv_text": "CV"})
        assert sent.status_code == 303
    visitor.get(f"/jobs/{jobs[0].id}")
    refused = send(visitor, jobs[0].id, {**FIELDS, "email": "late@example.com",
                                         "cv_text": "CV"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many applications; try again in" in refused.text


def test_a_broken_multipart_body_is_a_bad_request_that_changes_nothing(visitor, portal_services):
    job = posted(portal_services)
    visitor.get(f"/jobs/{job.id}")
    broken = visitor.client.simulate_post(
        f"/jobs/{job.id}", body=b"--edge\r\nContent-Disposition: form-data; name=\"cv\"\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=edge"},
        cookies=visitor._cookies(), remote_addr=HERE,
    )
    assert broken.status_code == 400
    assert applications(portal_services, job) == []

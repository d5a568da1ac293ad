from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(recipients: list[str], subject: str, body: str, url: str) -> int:
    """The e-mail copy of a notification (for the kinds its recipients opted into)."""
    text = "\n\n".join(part for part in (body, url) if part)
    return send_mail(f"舟桥：{subject}", text or subject, None, recipients, fail_silently=True)

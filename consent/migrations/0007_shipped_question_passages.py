"""Point each question of the shipped version 1 at the passage it tests.

A wrong answer links back to that passage. The link is kept beside the section (in
QuestionPassage), never in it: version 1 is published and its sections never change, and
neither its fingerprint nor any signature's seal covers the link, so every signed record
still verifies. The anchors are written out here, as the app renders them for version 1's
text today (a test checks they exist), rather than computed with app code.
"""

from django.db import migrations

# Section slug of version 1: the id of the passage its question tests.
SHIPPED_PASSAGES = {
    "what-happens-in-a-session": "passage-a-trained-health-worker-watches-you",
    "risk-dissociation": "passage-ketamine-can-make-you-feel-cut",
    "risk-long-term-use": "passage-kap-uses-low-doses-of-ketamine",
    "who-should-not-take-part": "passage-please-tell-the-team-about-your",
    "your-choice": "passage-if-you-say-no-or-stop",
}


def link_shipped_questions(apps, schema_editor):
    ConsentSection = apps.get_model("consent", "ConsentSection")
    QuestionPassage = apps.get_model("consent", "QuestionPassage")
    sections = ConsentSection.objects.filter(
        version__number=1, slug__in=SHIPPED_PASSAGES
    ).exclude(question_prompt="")
    for section in sections:
        # Runs twice safely, and never overrides a passage the clinic chose since.
        QuestionPassage.objects.get_or_create(
            section=section, defaults={"anchor": SHIPPED_PASSAGES[section.slug]}
        )


class Migration(migrations.Migration):
    dependencies = [("consent", "0006_question_passage")]

    operations = [
        # Reverse is a no-op on purpose: the links change no signed text, and dropping the
        # table (reversing 0006) removes them anyway.
        migrations.RunPython(link_shipped_questions, migrations.RunPython.noop),
    ]

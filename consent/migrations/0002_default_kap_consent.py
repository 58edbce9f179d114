"""Ship the clinic's default KAP consent as version 1, published.

The wording is kept here, not imported from app code, so this migration always creates
exactly what version 1 said. Later wording is a new version (drafted in the admin or
by a new migration); a published version never changes.
"""

from django.db import migrations
from django.utils import timezone

TITLE = "Consent for ketamine-assisted psychotherapy"

INTRODUCTION = (
    "Before you start ketamine-assisted psychotherapy (KAP), please read how it works, "
    "what it may feel like, and its risks and side effects. "
    "You read one part at a time and tell us you understand it. "
    "Some parts have a short question to check that the main point is clear. "
    "You can ask your care team a question on any part. "
    "At the end, you sign by typing your name."
)

SECTIONS = [
    {
        "position": 1,
        "slug": "what-is-kap",
        "title": "What ketamine and KAP are",
        "body": "Ketamine is a medicine that doctors have used since the 1960s. It is used to put "
        "people under for surgery and to ease pain.\n"
        "\n"
        "Doctors now also use it for some mental health problems. These include depression, "
        'anxiety, and PTSD. This is called "off-label" use. It means the drug is used in a '
        "way it was not first approved for.\n"
        "\n"
        "KAP stands for ketamine-assisted psychotherapy. It has two parts:\n"
        "\n"
        "- Ketamine sessions, where you are given the drug.\n"
        "- Talk therapy with a trained therapist, both before and after each ketamine "
        "session.\n"
        "\n"
        "The talk therapy is a key part of KAP. It helps you make sense of what you felt and "
        "use it in your daily life.",
        "requires_acknowledgement": True,
        "question_prompt": "",
        "question_choices": [],
        "correct_choice": None,
        "question_explanation": "",
    },
    {
        "position": 2,
        "slug": "what-happens-in-a-session",
        "title": "What happens in a ketamine session",
        "body": "You get ketamine in a medical room with trained staff. It can be given in one of "
        "these ways:\n"
        "\n"
        "- Through a drip into a vein (an IV).\n"
        "- As a shot into a muscle.\n"
        "- As a small tablet, called a lozenge, that melts slowly in your mouth.\n"
        "\n"
        "Your care team picks the way and the dose that fit you and your plan.\n"
        "\n"
        "A trained health worker watches you closely for the whole session. This is for your "
        "comfort and your safety.\n"
        "\n"
        "During the session you may:\n"
        "\n"
        "- Feel cut off from your body or the room around you.\n"
        "- Notice changes in how things look, sound, or feel to the touch.\n"
        "- Have strong or odd thoughts, or vivid pictures in your mind.\n"
        "\n"
        "These effects do not last. They go away within a few hours.",
        "requires_acknowledgement": True,
        "question_prompt": "What happens while you are on ketamine in a session?",
        "question_choices": [
            "You are left alone to rest.",
            "A trained health worker watches you the whole time.",
            "You take the drug at home by yourself.",
        ],
        "correct_choice": 2,
        "question_explanation": "A trained health worker stays with you and watches you closely for "
        "the whole session. This keeps you safe.",
    },
    {
        "position": 3,
        "slug": "risk-dissociation",
        "title": "Risk: Feeling detached",
        "body": "Ketamine can make you feel cut off from your body. You may also feel far away from "
        'the things around you. Doctors call this "dissociation."\n'
        "\n"
        "This is a known effect of the drug. Still, some people find it upsetting or "
        "strange.\n"
        "\n"
        "You will not be on your own. A trained health worker is with you during the "
        "session. They are there to keep you safe.\n"
        "\n"
        "If you feel afraid, you can tell the staff. You can also talk about it with your "
        "therapist after the session.",
        "requires_acknowledgement": True,
        "question_prompt": 'What does "dissociation" mean in this section?',
        "question_choices": [
            "Feeling cut off from your body or the things around you.",
            "Falling into a deep sleep for many hours.",
            "Feeling pain in your arm where the drug goes in.",
        ],
        "correct_choice": 1,
        "question_explanation": "Dissociation means feeling cut off from your body or the world "
        "around you. Staff are with you if this happens.",
    },
    {
        "position": 4,
        "slug": "risk-psychological-discomfort",
        "title": "Risk: Upsetting thoughts and feelings",
        "body": "Ketamine can sometimes stir up hard feelings. You may:\n"
        "\n"
        "- Feel anxious or worried.\n"
        "- Feel confused about where you are or what is going on.\n"
        "- See or hear things that are not there for a short time.\n"
        "\n"
        "These effects are most often brief. They tend to fade within a few hours.\n"
        "\n"
        "Please be honest with the team about how you feel. If you feel very upset, tell the "
        "staff right away. They can only help with what they know about.\n"
        "\n"
        "Later, you can talk through these feelings with your therapist. There is no right "
        "or wrong way to feel.",
        "requires_acknowledgement": True,
        "question_prompt": "",
        "question_choices": [],
        "correct_choice": None,
        "question_explanation": "",
    },
    {
        "position": 5,
        "slug": "risk-physical-side-effects",
        "title": "Risk: Side effects in your body",
        "body": "After a ketamine session, some people have side effects in the body. Common ones "
        "are:\n"
        "\n"
        "- Headache.\n"
        "- Feeling sick to your stomach (nausea).\n"
        "- Feeling dizzy, or like the room is spinning.\n"
        "\n"
        "These side effects can most often be eased with medicine. They tend to pass within "
        "a few hours.\n"
        "\n"
        "Your care team will check you for these side effects. If you have any, they will "
        "offer care that fits. Please tell them how your body feels, even if it seems small.",
        "requires_acknowledgement": True,
        "question_prompt": "",
        "question_choices": [],
        "correct_choice": None,
        "question_explanation": "",
    },
    {
        "position": 6,
        "slug": "risk-long-term-use",
        "title": "Risk: Using ketamine for a long time",
        "body": "Using ketamine over a long time can bring added risks. These include:\n"
        "\n"
        "- Problems with the bladder.\n"
        "- Problems with thinking and memory.\n"
        "\n"
        "KAP uses low doses of ketamine. It is not meant to be used for a long time. The "
        "care plan is set up to keep these risks low.\n"
        "\n"
        "Your care team will talk with you about your plan. If you have questions about how "
        "many sessions you will have, ask them. If you notice anything new or worrying, tell "
        "the team.",
        "requires_acknowledgement": True,
        "question_prompt": "Which statement about KAP is true?",
        "question_choices": [
            "KAP is meant to be used for many years.",
            "KAP uses low doses and is not meant for long-term use.",
            "Long-term use of ketamine has no known risks.",
        ],
        "correct_choice": 2,
        "question_explanation": "KAP uses low doses and is not meant for long-term use. Long-term "
        "use can harm the bladder and affect thinking.",
    },
    {
        "position": 7,
        "slug": "who-should-not-take-part",
        "title": "Who should not take part",
        "body": "KAP is not right for everyone. Before you start, a trained doctor or therapist will "
        "check if it is safe for you. They will ask about your mental health, your symptoms, "
        "and the medicines you have tried.\n"
        "\n"
        "You may not be able to take part if you have:\n"
        "\n"
        "- Some medical conditions.\n"
        "- Used drugs recently.\n"
        "- Psychosis that is not under control. Psychosis means losing touch with what is "
        "real.\n"
        "\n"
        "Please tell the team about your full health history. Tell them about every medicine "
        "you take. Some medicines can mix badly with ketamine. The team can only keep you "
        "safe if they know.\n"
        "\n"
        "You can also share any worries or hopes you have about KAP.",
        "requires_acknowledgement": True,
        "question_prompt": "Why should you tell the team about all the medicines you take?",
        "question_choices": [
            "Some medicines can mix badly with ketamine.",
            "So they can stop all your other medicines.",
            "It does not matter, so you can skip it.",
        ],
        "correct_choice": 1,
        "question_explanation": "Some medicines can mix badly with ketamine. The team needs to know "
        "what you take to keep you safe.",
    },
    {
        "position": 8,
        "slug": "integration-therapy",
        "title": "Talk therapy before and after",
        "body": "In KAP, you meet with a licensed therapist before and after each ketamine session. "
        'These talks are often called "integration" sessions.\n'
        "\n"
        "They give you a safe place to:\n"
        "\n"
        "- Talk about what you went through during the session.\n"
        "- Look at any feelings or ideas that came up.\n"
        "- Link what you learned to the goals you set for your therapy.\n"
        "\n"
        "Your therapist will help you bring these lessons into your daily life. The aim is "
        "to help you build new ways of thinking, acting, and coping.\n"
        "\n"
        "You can share as much or as little as you like.",
        "requires_acknowledgement": True,
        "question_prompt": "",
        "question_choices": [],
        "correct_choice": None,
        "question_explanation": "",
    },
    {
        "position": 9,
        "slug": "legal-status-and-unknowns",
        "title": "The law and what we do not know yet",
        "body": 'Using ketamine for mental health is "off-label." This means it is not the use the '
        "drug was first approved for.\n"
        "\n"
        "The laws and rules for KAP are still changing. They are not the same in every "
        "place. KAP is not offered everywhere yet.\n"
        "\n"
        "There are also things that are not yet known:\n"
        "\n"
        "- Results differ from person to person. KAP may help you a lot, a little, or not at "
        "all.\n"
        "- Studies on the long-term effects and safety of KAP are still going on.\n"
        "\n"
        "We cannot promise that KAP will work for you. Your care team is glad to answer any "
        "questions you have.",
        "requires_acknowledgement": True,
        "question_prompt": "",
        "question_choices": [],
        "correct_choice": None,
        "question_explanation": "",
    },
    {
        "position": 10,
        "slug": "your-choice",
        "title": "It is your choice",
        "body": "Taking part in KAP is up to you. No one can make you do it.\n"
        "\n"
        "You can:\n"
        "\n"
        "- Say no.\n"
        "- Stop at any time, even after you have started.\n"
        "- Take back (withdraw) your consent at any time.\n"
        "\n"
        "To withdraw, tap \"Withdraw my consent\" on your consent page in this app. You can also just tell your care "
        "team.\n"
        "\n"
        "If you say no or stop, your other care at the clinic will not change. You will "
        "still be treated with the same care and respect.\n"
        "\n"
        "You can ask questions at any time, before or after you agree.",
        "requires_acknowledgement": True,
        "question_prompt": "What happens to your other care at the clinic if you stop KAP?",
        "question_choices": [
            "It ends right away.",
            "It stays the same.",
            "You must pay a fee first.",
        ],
        "correct_choice": 2,
        "question_explanation": "You can stop at any time. Your other care at the clinic stays the "
        "same.",
    },
    {
        "position": 11,
        "slug": "journal-and-privacy",
        "title": "Your journal and your privacy",
        "body": "In this app you can write journal entries.\n"
        "\n"
        "- Each entry is private unless you choose to share it.\n"
        "- If you share an entry, only your own care team can see it.\n"
        "- When a therapist reads a shared entry, the app keeps a record. You can see who "
        "read it and when.\n"
        "\n"
        "Some entries may have words about suicide or self-harm. If so, the app will show "
        "you where to get help right away. This includes the 988 Suicide and Crisis "
        "Lifeline. If that entry is shared, the app will also flag it as urgent for your "
        "therapist. If it is private, no one is told.\n"
        "\n"
        "This app is not an emergency service. Your team may not see what you write right "
        "away. In an emergency, call 911 or 988.",
        "requires_acknowledgement": True,
        "question_prompt": "",
        "question_choices": [],
        "correct_choice": None,
        "question_explanation": "",
    },
]


def add_version_one(apps, schema_editor):
    ConsentVersion = apps.get_model("consent", "ConsentVersion")
    ConsentSection = apps.get_model("consent", "ConsentSection")
    if ConsentVersion.objects.filter(number=1).exists():
        return  # already there: running twice changes nothing
    version = ConsentVersion.objects.create(
        number=1, title=TITLE, introduction=INTRODUCTION, status="draft"
    )
    for section in SECTIONS:
        ConsentSection.objects.create(version=version, **section)
    version.status = "published"
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [
        # Reverse is a no-op on purpose: a consent version patients may have signed is
        # never deleted by a migration.
        migrations.RunPython(add_version_one, migrations.RunPython.noop),
    ]

"""Ship version 1 of the default KAP consent in Spanish, published: its own signed text.

Written from the English text of migration 0002, fact for fact, in plain Spanish (usted,
short sentences). Each section keeps the English paragraphs and lists one for one, so a
wrong answer links back to the same passage (migration 0007's anchors, by place). The
wording is kept here, not imported from app code, so this migration always creates
exactly what the Spanish text of version 1 says; it never changes once published.
"""

from django.db import migrations
from django.utils import timezone

LANGUAGE = "es"

TITLE = "Consentimiento para la psicoterapia asistida con ketamina"

INTRODUCTION = (
    "Antes de empezar la psicoterapia asistida con ketamina (KAP, por sus siglas en inglés), "
    "lea cómo funciona. Lea también qué puede sentir y cuáles son sus riesgos y efectos "
    "secundarios. "
    "Usted lee una parte a la vez y nos dice que la entiende. "
    "Algunas partes tienen una pregunta corta. Sirve para ver si la idea principal está clara. "
    "Puede hacer una pregunta a su equipo de atención sobre cualquier parte. "
    "Al final, usted firma al escribir su nombre."
)

# Section slug of version 1: its text in Spanish.
SECTIONS = {
    "what-is-kap": {
        "title": "Qué son la ketamina y la KAP",
        "body": "La ketamina es un medicamento. Los médicos la usan desde los años 60. Se usa "
        "para dormir a las personas en una cirugía y para calmar el dolor.\n"
        "\n"
        "Hoy los médicos también la usan para algunos problemas de salud mental. Por ejemplo, "
        "la depresión, la ansiedad y el TEPT. Esto se llama uso \"fuera de indicación\". "
        "Quiere decir que el medicamento se usa de una forma para la que no se aprobó al "
        "principio.\n"
        "\n"
        "KAP es la sigla en inglés de psicoterapia asistida con ketamina. Tiene dos partes:\n"
        "\n"
        "- Sesiones de ketamina, en las que le dan el medicamento.\n"
        "- Terapia de conversación con un terapeuta formado. Es antes y después de cada "
        "sesión de ketamina.\n"
        "\n"
        "La terapia de conversación es una parte clave de la KAP. Le ayuda a entender lo que "
        "sintió. También le ayuda a usarlo en su vida diaria.",
        "question_prompt": "",
        "question_choices": [],
        "question_explanation": "",
    },
    "what-happens-in-a-session": {
        "title": "Qué pasa en una sesión de ketamina",
        "body": "Usted recibe la ketamina en una sala médica con personal formado. Se la pueden "
        "dar de una de estas formas:\n"
        "\n"
        "- Por un suero en la vena (una infusión intravenosa).\n"
        "- Como una inyección intramuscular.\n"
        "- Como una pastilla para disolver en la boca. Se deshace poco a poco.\n"
        "\n"
        "Su equipo de atención elige la forma y la dosis que van con usted y con su plan.\n"
        "\n"
        "Un trabajador de salud formado lo cuida de cerca toda la sesión. Esto es para su "
        "comodidad y su seguridad.\n"
        "\n"
        "Durante la sesión, usted puede:\n"
        "\n"
        "- Sentirse separado de su cuerpo o de la sala.\n"
        "- Notar cambios en cómo ve, oye o siente las cosas al tocarlas.\n"
        "- Tener ideas fuertes o raras, o imágenes vivas en la mente.\n"
        "\n"
        "Estos efectos no duran. Se van en unas pocas horas.",
        "question_prompt": "¿Qué pasa mientras usted está bajo la ketamina en una sesión?",
        "question_choices": [
            "Lo dejan solo para que descanse.",
            "Un trabajador de salud formado lo cuida todo el tiempo.",
            "Usted toma el medicamento solo en su casa.",
        ],
        "question_explanation": "Un trabajador de salud formado se queda con usted. Lo cuida "
        "de cerca toda la sesión. Así usted está seguro.",
    },
    "risk-dissociation": {
        "title": "Riesgo: sentirse separado",
        "body": "La ketamina puede hacer que se sienta separado de su cuerpo. También puede "
        "sentir que las cosas a su alrededor están lejos. Los médicos llaman a esto "
        "\"disociación\".\n"
        "\n"
        "Es un efecto conocido del medicamento. Aun así, a algunas personas les parece "
        "molesto o raro.\n"
        "\n"
        "Usted no estará solo. Un trabajador de salud formado está con usted en la sesión. "
        "Está ahí para cuidar que esté seguro.\n"
        "\n"
        "Si siente miedo, puede decírselo al personal. También puede hablar de esto con su "
        "terapeuta después de la sesión.",
        "question_prompt": "¿Qué quiere decir \"disociación\" en esta sección?",
        "question_choices": [
            "Sentirse separado de su cuerpo o de las cosas a su alrededor.",
            "Dormir muy profundo por muchas horas.",
            "Sentir dolor en el brazo por donde entra el medicamento.",
        ],
        "question_explanation": "Disociación es sentirse separado de su cuerpo o de lo que hay "
        "a su alrededor. Si pasa, el personal está con usted.",
    },
    "risk-psychological-discomfort": {
        "title": "Riesgo: ideas y emociones difíciles",
        "body": "A veces la ketamina despierta emociones difíciles. Usted puede:\n"
        "\n"
        "- Sentir ansiedad o preocupación.\n"
        "- Sentirse confundido sobre dónde está o qué pasa.\n"
        "- Ver u oír por un rato cosas que no están ahí.\n"
        "\n"
        "Casi siempre estos efectos son cortos. Suelen pasar en unas pocas horas.\n"
        "\n"
        "Por favor, diga al equipo con sinceridad cómo se siente. Si se siente muy mal, "
        "avise al personal de inmediato. Ellos solo pueden ayudar con lo que saben.\n"
        "\n"
        "Más tarde, puede hablar de estas emociones con su terapeuta. No hay una forma "
        "buena o mala de sentir.",
        "question_prompt": "",
        "question_choices": [],
        "question_explanation": "",
    },
    "risk-physical-side-effects": {
        "title": "Riesgo: efectos secundarios en el cuerpo",
        "body": "Después de una sesión de ketamina, algunas personas tienen efectos "
        "secundarios en el cuerpo. Los más comunes son:\n"
        "\n"
        "- Dolor de cabeza.\n"
        "- Ganas de vomitar (náuseas).\n"
        "- Mareo, o sentir que la sala da vueltas.\n"
        "\n"
        "Casi siempre estos efectos se alivian con medicamentos. Suelen pasar en unas pocas "
        "horas.\n"
        "\n"
        "Su equipo de atención revisará si tiene estos efectos. Si los tiene, le darán la "
        "atención que necesita. Por favor, dígales cómo se siente su cuerpo, aunque parezca "
        "poco.",
        "question_prompt": "",
        "question_choices": [],
        "question_explanation": "",
    },
    "risk-long-term-use": {
        "title": "Riesgo: usar ketamina por mucho tiempo",
        "body": "Usar ketamina por mucho tiempo puede traer más riesgos. Por ejemplo:\n"
        "\n"
        "- Problemas en la vejiga.\n"
        "- Problemas para pensar y recordar.\n"
        "\n"
        "La KAP usa dosis bajas de ketamina. No es para usarla por mucho tiempo. El plan de "
        "atención está hecho para que estos riesgos sean bajos.\n"
        "\n"
        "Su equipo de atención hablará con usted sobre su plan. Si tiene dudas sobre cuántas "
        "sesiones tendrá, pregúnteles. Si nota algo nuevo o que le preocupa, avise al equipo.",
        "question_prompt": "¿Qué frase sobre la KAP es cierta?",
        "question_choices": [
            "La KAP es para usarla por muchos años.",
            "La KAP usa dosis bajas y no es para usarla por mucho tiempo.",
            "Usar ketamina por mucho tiempo no tiene riesgos conocidos.",
        ],
        "question_explanation": "La KAP usa dosis bajas y no es para usarla por mucho tiempo. "
        "Usarla mucho tiempo puede dañar la vejiga. También puede afectar cómo piensa.",
    },
    "who-should-not-take-part": {
        "title": "Quién no debe participar",
        "body": "La KAP no es para todos. Antes de empezar, un médico o terapeuta formado verá "
        "si es segura para usted. Le preguntará por su salud mental y sus síntomas. También "
        "le preguntará por los medicamentos que ha probado.\n"
        "\n"
        "Tal vez no pueda participar si tiene:\n"
        "\n"
        "- Algunos problemas médicos.\n"
        "- Uso reciente de drogas.\n"
        "- Psicosis que no está controlada. Psicosis es perder el contacto con lo que es "
        "real.\n"
        "\n"
        "Por favor, cuente al equipo toda su historia de salud. Dígales cada medicamento que "
        "toma. Algunos medicamentos se mezclan mal con la ketamina. El equipo solo puede "
        "cuidarlo bien si lo sabe.\n"
        "\n"
        "También puede contar sus dudas o esperanzas sobre la KAP.",
        "question_prompt": "¿Por qué debe decir al equipo todos los medicamentos que toma?",
        "question_choices": [
            "Algunos medicamentos se mezclan mal con la ketamina.",
            "Para que le quiten todos sus otros medicamentos.",
            "No importa, así que no hace falta.",
        ],
        "question_explanation": "Algunos medicamentos se mezclan mal con la ketamina. El "
        "equipo debe saber lo que toma para cuidarlo bien.",
    },
    "integration-therapy": {
        "title": "Terapia de conversación antes y después",
        "body": "En la KAP, usted se reúne con un terapeuta con licencia antes y después de "
        "cada sesión de ketamina. A estas charlas se les suele llamar sesiones de "
        "\"integración\".\n"
        "\n"
        "Le dan un lugar seguro para:\n"
        "\n"
        "- Hablar de lo que vivió en la sesión.\n"
        "- Ver las emociones o ideas que surgieron.\n"
        "- Unir lo que aprendió con las metas de su terapia.\n"
        "\n"
        "Su terapeuta le ayudará a llevar lo aprendido a su vida diaria. La meta es ayudarle "
        "a crear nuevas formas de pensar, de actuar y de salir adelante.\n"
        "\n"
        "Puede contar tanto o tan poco como quiera.",
        "question_prompt": "",
        "question_choices": [],
        "question_explanation": "",
    },
    "legal-status-and-unknowns": {
        "title": "La ley y lo que aún no sabemos",
        "body": "Usar ketamina para la salud mental es un uso \"fuera de indicación\". Quiere "
        "decir que no es el uso para el que se aprobó el medicamento al principio.\n"
        "\n"
        "Las leyes y reglas de la KAP aún están cambiando. No son iguales en todos lados. La "
        "KAP aún no se ofrece en todas partes.\n"
        "\n"
        "También hay cosas que aún no se saben:\n"
        "\n"
        "- Los resultados cambian de una persona a otra. La KAP puede ayudarle mucho, poco o "
        "nada.\n"
        "- Aún se hacen estudios sobre los efectos y la seguridad de la KAP a largo plazo.\n"
        "\n"
        "No podemos prometer que la KAP le funcione. Su equipo de atención con gusto responde "
        "sus preguntas.",
        "question_prompt": "",
        "question_choices": [],
        "question_explanation": "",
    },
    "your-choice": {
        "title": "Usted decide",
        "body": "Participar en la KAP es su decisión. Nadie puede obligarle.\n"
        "\n"
        "Usted puede:\n"
        "\n"
        "- Decir que no.\n"
        "- Parar en cualquier momento, aunque ya haya empezado.\n"
        "- Retirar su consentimiento en cualquier momento.\n"
        "\n"
        "Para retirarlo, toque \"Retirar mi consentimiento\" en su página de consentimiento "
        "en esta aplicación. También puede decírselo a su equipo de atención.\n"
        "\n"
        "Si dice que no o si para, su otra atención en la clínica no cambia. Lo seguiremos "
        "tratando con el mismo cuidado y respeto.\n"
        "\n"
        "Puede hacer preguntas en cualquier momento, antes o después de aceptar.",
        "question_prompt": "¿Qué pasa con su otra atención en la clínica si deja la KAP?",
        "question_choices": [
            "Se termina de inmediato.",
            "Sigue igual.",
            "Primero debe pagar una multa.",
        ],
        "question_explanation": "Usted puede parar en cualquier momento. Su otra atención en "
        "la clínica sigue igual.",
    },
    "journal-and-privacy": {
        "title": "Su diario y su privacidad",
        "body": "En esta aplicación puede escribir entradas en su diario.\n"
        "\n"
        "- Cada entrada es privada, salvo que usted decida compartirla.\n"
        "- Si comparte una entrada, solo su propio equipo de atención puede verla.\n"
        "- Cuando un terapeuta lee una entrada compartida, la aplicación lo anota. Usted puede "
        "ver quién la leyó y cuándo.\n"
        "\n"
        "Algunas entradas pueden hablar de suicidio o de hacerse daño. Si es así, la "
        "aplicación le mostrará dónde pedir ayuda de inmediato. Esto incluye el 988 (Línea "
        "de Prevención del Suicidio y Crisis). Si esa entrada está compartida, la aplicación "
        "también la marcará como urgente para su terapeuta. Si es privada, nadie recibe "
        "aviso.\n"
        "\n"
        "Esta aplicación no es un servicio de emergencias. Puede que su equipo no vea de "
        "inmediato lo que escribe. En una emergencia, llame al 911 o al 988.",
        "question_prompt": "",
        "question_choices": [],
        "question_explanation": "",
    },
}


def add_spanish_text(apps, schema_editor):
    ConsentVersion = apps.get_model("consent", "ConsentVersion")
    ConsentTranslation = apps.get_model("consent", "ConsentTranslation")
    SectionTranslation = apps.get_model("consent", "SectionTranslation")
    version = ConsentVersion.objects.filter(number=1).first()
    if version is None or ConsentTranslation.objects.filter(
        version=version, language=LANGUAGE
    ).exists():
        return  # no version 1, or its Spanish text is already there: nothing to change
    sections = {s.slug: s for s in version.sections.all()}
    if set(sections) != set(SECTIONS):
        return  # not the shipped version 1: its Spanish text is the clinic's to write
    translation = ConsentTranslation.objects.create(
        version=version, language=LANGUAGE, title=TITLE, introduction=INTRODUCTION
    )
    for slug, text in SECTIONS.items():
        SectionTranslation.objects.create(translation=translation, section=sections[slug], **text)
    # Published last, once every section is written: from here on it never changes.
    translation.status = "published"
    translation.published_at = timezone.now()
    translation.save(update_fields=["status", "published_at"])


class Migration(migrations.Migration):
    dependencies = [("consent", "0009_translations_and_signature_language")]

    operations = [
        # Reverse is a no-op on purpose: a text patients may have signed is never deleted
        # by a migration (and reversing 0009 drops the tables anyway).
        migrations.RunPython(add_spanish_text, migrations.RunPython.noop),
    ]

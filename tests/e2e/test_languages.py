"""Dutch- and French-speaking attendees see their language everywhere; /language switches and is remembered."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from tests.e2e.harness import Harness, running_bot


async def test_a_dutch_speaker_sees_dutch_everywhere(bot: Harness) -> None:
    """Welcome, buttons, answers, did-you-mean, declines and subscriptions come in Dutch for language_code nl-BE."""
    user = bot.api.user(501, "nl-BE")
    welcome = await bot.api.ask("/start", user)
    assert welcome.text.startswith(
        "Hallo! Ik ben de assistent van Science for Health 2025, dinsdag 4 november 2025 in Brussel: over 15 dagen."
    )
    assert welcome.button_texts == [
        "Datum",
        "Locatie",
        "Thema",
        "Inschrijven",
        "Keynote",
        "Financieringskloof",
        "Herinner me",
        "In mijn agenda",
        "Alle onderwerpen",
    ]
    assert (await bot.api.ask("waar is het?", user)).text.startswith("Science for Health 2025 vindt plaats in Brussel (België).")
    assert (await bot.api.ask("money", user)).text == "Ik weet niet zeker of ik je begrijp. Bedoel je:"
    assert (await bot.api.ask("wie heeft de Mona Lisa geschilderd", user)).text.startswith("Sorry, daar weet ik het antwoord niet op.")
    assert (await bot.api.ask("/remind", user)).text.startswith(
        "Klaar! Ik herinner je aan Science for Health 2025. Volgende herinnering: dinsdag 28 oktober 2025 om 09:00."
    )
    assert (await bot.api.ask("/teleport", user)).text == "Dat commando ken ik niet. Stuur /help om te zien wat ik kan."


async def test_a_french_speaker_sees_french_everywhere(bot: Harness) -> None:
    """Welcome, answers, status and the calendar caption come in French for language_code fr."""
    user = bot.api.user(502, "fr")
    welcome = await bot.api.ask("/start", user)
    assert welcome.text.startswith(
        "Bonjour ! Je suis l'assistant de Science for Health 2025, le mardi 4 novembre 2025 à Bruxelles : dans 15 jours."
    )
    assert "Me le rappeler" in welcome.button_texts
    assert (await bot.api.ask("qui donne la keynote ?", user)).text.startswith("Jérôme Van Biervliet, Managing Director du VIB")
    assert (await bot.api.ask("/status", user)).text.startswith("Vous n'êtes pas abonné.")
    document = await bot.api.ask("/calendar", user, method="sendDocument")
    assert document.text.startswith("Science for Health 2025, mardi 4 novembre 2025, Bruxelles.")
    event = Calendar.from_ical(next(iter(document.files.values()))[1]).walk("VEVENT")[0]
    assert str(event["description"]).startswith(
        "Science for Health 2025. Thème : Stronger Regions, Greater Impact. Focus : ATMP & New Modalities."
    )
    assert str(event["location"]) == "Bruxelles"


async def test_language_command_switches_and_is_remembered_across_restarts(tmp_path: Path) -> None:
    """/language offers three buttons; the choice applies to answers and reminders, and survives a restart."""
    async with running_bot(tmp_path / "data") as bot:
        user = bot.api.user(503, "en")
        prompt = await bot.api.ask("/language", user)
        assert prompt.text == "Choose your language:"
        assert prompt.button_texts == ["English", "Nederlands", "Français"]
        await bot.api.press(prompt, "Français", user)
        assert (await bot.api.wait_for(lambda c: c.text.startswith("Je vous répondrai"))).text == "Je vous répondrai désormais en français."
        assert (await bot.api.ask("when is it", user)).text.startswith("Science for Health 2025 a lieu le mardi 4 novembre 2025")
        await bot.api.ask("/remind", user)
    async with running_bot(tmp_path / "data") as bot:
        user = bot.api.user(503, "en")
        assert (await bot.api.ask("/status", user)).text == "Vous êtes abonné. Prochain rappel : mardi 28 octobre 2025 à 09:00."
        assert bot.app.job_queue is not None
        reminder = next(j for j in bot.app.job_queue.jobs() if j.name == "reminder:week-before")
        await reminder.run(bot.app)
        sent = await bot.api.wait_for(lambda c: c.chat_id == 503 and c.text.startswith("Plus qu'une semaine"))
        assert sent.text.startswith("Plus qu'une semaine : Science for Health 2025 a lieu le mardi 4 novembre 2025 à Bruxelles.")


async def test_unsupported_language_codes_get_english(bot: Harness) -> None:
    """A German-speaking user is answered in English."""
    reply = await bot.api.ask("/start", bot.api.user(504, "de"))
    assert reply.text.startswith("Hi! I'm the assistant for Science for Health 2025")

"""Dutch- and French-speaking attendees see their language everywhere; /language switches and is remembered."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from tests.conftest import at_day, fill, moment
from tests.e2e.harness import Harness, running_bot


async def test_a_dutch_speaker_sees_dutch_everywhere(bot: Harness) -> None:
    """Welcome, buttons, answers, did-you-mean, declines and subscriptions come in Dutch for language_code nl-BE."""
    user = bot.api.user(501, "nl-BE")
    welcome = await bot.api.ask("/start", user)
    assert welcome.text.startswith(
        fill("Hallo! Ik ben de assistent van {name} {edition}, {date} in {city}: over 15 dagen.", "nl")
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
    assert (await bot.api.ask("waar is het?", user)).text.startswith(
        fill("{name} {edition} vindt plaats in {city} ({country}).", "nl")
    )
    assert (await bot.api.ask("money", user)).text == "Ik weet niet zeker of ik je begrijp. Bedoel je:"
    assert (await bot.api.ask("wie heeft de Mona Lisa geschilderd", user)).text.startswith(
        "Sorry, daar weet ik het antwoord niet op."
    )
    assert (await bot.api.ask("/remind", user)).text.startswith(
        fill("Klaar! Ik herinner je aan {name} {edition}.", "nl")
        + f" Volgende herinnering: {moment(at_day(-7, 9), 'nl')}."
    )
    assert (await bot.api.ask("/teleport", user)).text == "Dat commando ken ik niet. Stuur /help om te zien wat ik kan."


async def test_a_french_speaker_sees_french_everywhere(bot: Harness) -> None:
    """Welcome, answers, status and the calendar caption come in French for language_code fr."""
    user = bot.api.user(502, "fr")
    welcome = await bot.api.ask("/start", user)
    assert welcome.text.startswith(
        fill("Bonjour ! Je suis l'assistant de {name} {edition}, le {date} à {city} : dans 15 jours.", "fr")
    )
    assert "Me le rappeler" in welcome.button_texts
    assert (await bot.api.ask("qui donne la keynote ?", user)).text.startswith(
        fill("{keynote_speaker}, {keynote_roles}", "fr")
    )
    assert (await bot.api.ask("/status", user)).text.startswith("Vous n'êtes pas abonné.")
    document = await bot.api.ask("/calendar", user, method="sendDocument")
    assert document.text.startswith(fill("{name} {edition}, {date}, {city}.", "fr"))
    event = Calendar.from_ical(next(iter(document.files.values()))[1]).walk("VEVENT")[0]
    assert str(event["description"]).startswith(fill("{name} {edition}. Thème : {theme}. Focus : {focus}.", "fr"))
    assert str(event["location"]) == fill("{city}", "fr")


async def test_language_command_switches_and_is_remembered_across_restarts(tmp_path: Path) -> None:
    """/language offers three buttons; the choice applies to answers and reminders, and survives a restart."""
    async with running_bot(tmp_path / "data") as bot:
        user = bot.api.user(503, "en")
        prompt = await bot.api.ask("/language", user)
        assert prompt.text == "Choose your language:"
        assert prompt.button_texts == ["English", "Nederlands", "Français"]
        await bot.api.press(prompt, "Français", user)
        assert (
            await bot.api.wait_for(lambda c: c.text.startswith("Je vous répondrai"))
        ).text == "Je vous répondrai désormais en français."
        assert (await bot.api.ask("when is it", user)).text.startswith(fill("{name} {edition} a lieu le {date}", "fr"))
        await bot.api.ask("/remind", user)
    async with running_bot(tmp_path / "data") as bot:
        user = bot.api.user(503, "en")
        assert (
            await bot.api.ask("/status", user)
        ).text == f"Vous êtes abonné. Prochain rappel : {moment(at_day(-7, 9), 'fr')}."
        assert bot.app.job_queue is not None
        reminder = next(j for j in bot.app.job_queue.jobs() if j.name == "reminder:week-before")
        await reminder.run(bot.app)
        sent = await bot.api.wait_for(lambda c: c.chat_id == 503 and c.text.startswith("Plus qu'une semaine"))
        assert sent.text.startswith(fill("Plus qu'une semaine : {name} {edition} a lieu le {date} à {city}.", "fr"))


async def test_unsupported_language_codes_get_english(bot: Harness) -> None:
    """A German-speaking user is answered in English."""
    reply = await bot.api.ask("/start", bot.api.user(504, "de"))
    assert reply.text.startswith(fill("Hi! I'm the assistant for {name} {edition}"))

"""What a yes/no check proposes about the event, and whether it holds ("is it on the 5th?": no). Pure.

Attendees check what they believe as often as they ask: "it's on a monday isnt it", "c'est bien à Bruxelles le 4
novembre ?", "Klopt het dat het op woensdag 5 november is?". A check names a value instead of asking for one: a day of
the week, a day of the month, a month, a date in figures, a year, a city, a time from now ("is it in three weeks?").
This module finds those values in a message (``proposed``) and says whether each holds for the event
(``Proposed.verdict``); the assistant decides whether the message is a check of the event alone (``bot/assistant.py``,
``Assistant.pure_check``). The words below are the languages' (weekday and month names come from Babel), never an
event's: the event's date and city come from the knowledge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from bot.text import (
    DAY_LINKS,
    MONTH_LOCALES,
    QUESTION_WORDS,
    YEAR,
    asks_for_something,
    fold,
    month_numbers,
    sentences,
)

Verdict = Literal["yes", "no"]

# Words that turn a statement into a check ("..., right?", "klopt dat?", "c'est bien ..."): nothing asked of their own.
CHECK_WORDS = frozenset(
    {
        *("correct", "right", "confirm", "confirmed", "true", "sure", "check", "checking", "double", "just", "quick"),
        *("scheduled", "planned", "gepland", "prevu", "prevue"),  # "is it scheduled for the 14th?": a date check
        *("fall", "falls", "valt", "tombe"),  # "does it fall on a Wednesday?", "ça tombe un mercredi ?": a date check
        *("klopt", "juist", "bevestigen", "bevestig", "zeker", "toch", "echt", "waar"),
        *("exact", "exacte", "confirmer", "confirmez", "confirme", "bien", "vrai", "non", "hein", "verifier"),
    }
)
# Words that report a belief ("my colleague thinks", "ik dacht", "elle pense"): the check is the belief's.
BELIEF_WORDS = frozenset(
    {
        *("think", "thinks", "thought", "believe", "believes", "says", "said", "heard", "read", "swears", "told"),
        *("denk", "denkt", "dacht", "gelooft", "zegt", "zei", "gehoord", "gelezen", "beweert"),
        *("pense", "pensais", "pensait", "croit", "croyais", "dit", "disait", "entendu", "affirme"),
        # what the asker remembers seeing ("I think I saw the 14th somewhere", "ik heb ergens gezien", "j'ai vu")
        *("saw", "seen", "remember", "remembered", "recall", "somewhere", "zag", "gezien", "herinner", "ergens"),
        *("vu", "souviens", "souvient"),
    }
)
# A check of someone's own plans ("I have a meeting on Tuesday", "he is in Ghent on Monday, right?", "mon chef est à
# Anvers lundi") is about a person, not the event, unless it reports a belief about the event ("my colleague thinks it
# is on the 5th"). The one asked is no such person ("could you confirm ...", "kunt u ...", "vous pouvez me ..."), nor
# French "il" ("a-t-il lieu le 5 ?": it); Dutch "je" is "you", French "je" is "I": left out.
PERSONS = frozenset(
    {
        *("i", "im", "my", "we", "our", "he", "she", "his", "her", "they", "their"),
        *("ik", "mijn", "wij", "ons", "onze", "hij", "zij", "haar"),
        *("j", "mon", "ma", "mes", "nous", "notre", "elle", "ils", "elles"),
    }
)
# Who may hold the belief a check reports ("my manager thinks ...", "mijn collega zegt ...", "mon chef pense ...").
BELIEVERS = frozenset(
    {
        *("colleague", "colleagues", "manager", "boss", "friend", "director", "assistant", "calendar", "diary"),
        *("collega", "collegas", "baas", "vriend", "vriendin", "directeur", "agenda", "team"),
        *("collegue", "collegues", "chef", "ami", "amie", "directrice", "equipe"),
    }
)
# A negated check ("it isn't on a Monday, is it?", "ce n'est plus le 5 ?") is answered without "Yes." or "No.": either
# would mislead. A closing tag question negates nothing ("it's on a monday, isn't it?", "c'est le 4, n'est-ce pas ?").
NEGATIONS = frozenset(
    {"not", "isnt", "arent", "wasnt", "doesnt", "dont", "niet", "geen", "pas", "plus", "ni", "jamais"}
)
# A negation's words, shortened ones included ("isn't": "isn", "t"): they say nothing of a topic of their own.
NEGATION_WORDS = NEGATIONS | {"isn", "aren", "wasn", "doesn", "don", "t", "ne", "n"}
_SHORT_NEGATION = re.compile(r"\b(?:is|are|was|were|do|does|did|wo|ca|has|have)n t\b")
_TAG = re.compile(
    r"(?:\s(?:(?:is|are|was|do|does|did|wo)(?:n t|nt)\s(?:it|they|he|she|there)|n est ce pas|niet|non|toch|he))+$"
)
# An existential question asks whether what it names exists ("is there parking at the venue?", "zijn er ...", "y a-t-il
# ..."): a word no phrasing uses is then what is asked about, never a value the asker proposes for an entry's fact.
_EXISTENTIAL = re.compile(
    r" (?:is there|are there|was there|will there|any|is er|zijn er|komt er|komen er|y a t il|y aura t il|il y a|y a) "
)
# A topic's known words, then the asker's value if it is none of the knowledge's, then at most one known word more.
_VALUE_PROPOSED = re.compile(r"k+u*k?")
# Words offering alternatives, by language ("on the 4th or the 5th?"): one value failing is then no "No".
ALTERNATIVES: Mapping[str, frozenset[str]] = {"en": frozenset({"or"}), "nl": frozenset({"of"}), "fr": frozenset({"ou"})}
# A request to translate ("translate to French: see you in Brussels", "vertaal deze mail", "traduis ce texte") hands the
# bot a text, not a question: whatever event words the text holds, no entry answers it.
TRANSLATE_VERBS = frozenset({"translate", "vertaal", "vertalen", "traduis", "traduire", "traduisez"})
# A command that the bot act ("send me the slides", "stuur me de opname", "réservez l'orateur") asks nothing, whatever
# event words it names: with one of these verbs and no question word, no tier guesses an entry for it.
ACTION_VERBS = frozenset(
    {
        *("send", "email", "mail", "forward", "write", "book", "reserve", "draw", "compose", "share"),
        *("remind", "add", "move", "cancel", "call", "give", "list", "make"),
        *("stuur", "sturen", "mailen", "doorsturen", "schrijf", "schrijven", "boek", "boeken"),
        *("herinner", "voeg", "verplaats", "annuleer", "bel", "geef", "maak"),
        *("envoie", "envoyez", "envoyer", "transmettre", "transmets", "ecris", "ecrire", "ecrivez"),
        *("reserver", "reservez", "partager", "rappelle", "ajoute", "deplace", "annule", "appelle", "donne", "fais"),
        *TRANSLATE_VERBS,
    }
)


@dataclass(frozen=True)
class BookingWords:
    """One language's words for a request that the bot book, register or pay for someone ("book me a seat")."""

    verbs: frozenset[str]  # booking, registering, buying, paying, cancelling: what only a person or a form can do
    beneficiaries: frozenset[str]  # who it is done for: "me", "us" ("m" of French "m'inscrire")
    addressed: frozenset[str]  # the one asked to do it: "you" (Dutch "je" is "you", French "je" is "I")
    polite: frozenset[str]  # words before an imperative that do not make it a question ("please", "svp", "hey")


# A request that the bot itself act for the asker ("please book me a seat", "kun jij me even inschrijven?",
# "réserve-moi une place", "pouvez-vous m'inscrire ?") asks nothing the knowledge answers, whichever entry its words
# name: the bot says it cannot, and offers that entry and the organisers. "How do I register?", "moet ik me
# inschrijven?", "comment je m'inscris ?" ask how (the asker acts); "can you send me the link to register?" asks for
# information. A language's facts, not an event's.
BOOKING_WORDS: Mapping[str, BookingWords] = {
    "en": BookingWords(
        verbs=frozenset({"book", "reserve", "register", "sign", "enrol", "enroll", "buy", "order", "pay", "cancel"}),
        beneficiaries=frozenset({"me", "us"}),
        addressed=frozenset({"you", "u"}),
        polite=frozenset({"please", "pls", "plz", "kindly", "hi", "hey", "hello", "just", "quickly", "now"}),
    ),
    "nl": BookingWords(
        verbs=frozenset(
            {
                *("boek", "boeken", "reserveer", "reserveren", "inschrijven", "schrijf", "aanmelden", "meld"),
                *("registreer", "registreren", "koop", "kopen", "bestel", "bestellen", "betaal", "betalen"),
                *("annuleer", "annuleren"),
            }
        ),
        beneficiaries=frozenset({"me", "mij", "ons"}),
        addressed=frozenset({"je", "jij", "ge", "gij", "u", "jullie"}),
        polite=frozenset({"aub", "alsjeblieft", "alstublieft", "graag", "hallo", "hoi", "dag", "even", "snel"}),
    ),
    "fr": BookingWords(
        verbs=frozenset(
            {
                *("reserve", "reserver", "reservez", "inscris", "inscrire", "inscrivez", "enregistre", "enregistrer"),
                *("enregistrez", "achete", "acheter", "achetez", "commande", "commander", "commandez", "paye"),
                *("payer", "payez", "annule", "annuler", "annulez"),
            }
        ),
        beneficiaries=frozenset({"moi", "nous", "m", "me"}),
        addressed=frozenset({"tu", "vous", "t"}),
        polite=frozenset({"svp", "stp", "bonjour", "salut", "merci", "vite"}),
    ),
}
# How far apart the one asked, the verb and the one it is done for may stand ("can you please quickly book me").
BOOKING_REACH = 6


# A passive ("will the sessions be recorded?", "wordt de keynote opgenomen?", "la keynote sera-t-elle filmée ?") asks
# what is done to a topic, not which value its fact has. It closes its clause, or another participle or an adverb
# follows ("livestreamed or recorded", "recorded so I can watch later"); a complement after it ("is it held in
# Ghent?", "is he convinced the event ...", "centred on ATMPs") may propose a value. By language: the auxiliaries,
# and how a participle ends or begins; the Dutch participle closes the sentence. A language's facts, not an event's.
_PASSIVE_AUXILIARIES: Mapping[str, frozenset[str]] = {
    "en": frozenset({"be", "being", "been", "is", "are", "was", "were", "get", "gets"}),
    "nl": frozenset({"wordt", "worden", "werd", "werden"}),
    "fr": frozenset({"sera", "seront", "serait", "seraient"}),
}
_ENGLISH_PARTICIPLE = re.compile(r"\w{3,}ed|given|shown|taken|written|done|sent|broadcast")
_DUTCH_PARTICIPLE = re.compile(r"(?:\w{0,4}ge|ver|be|ont)\w{2,}(?:d|t|en)")
# French participles as written, accents and all ("enregistrée", "filmés"), or with the accent typed as "e" ("filmee").
_FRENCH_PARTICIPLE = re.compile(r"\w{2,}(?:é|ée|és|ées|ee|ees)")
_ACCENTED_WORD = re.compile(r"\w+")
_AFTER_PASSIVE = frozenset(
    {"", "or", "and", "so", "too", "afterwards", "later", "online", "live", "ou", "et", "aussi", "apres", "en", "ligne"}
)
# Dutch: an agent or a place before the closing participle ("gegeven door ...", "in Gent gehouden") proposes one.
_NO_AGENT = frozenset({"door", "in", "te", "op", "over", "vanuit", "uit"})


def is_passive(message: str) -> bool:
    """Whether ``message`` asks what is done to a topic: a passive (``_PASSIVE_AUXILIARIES``) closing its clause.

    English and French: the participle within three words of its auxiliary ("will the sessions be livestreamed",
    "sera-t-elle enregistrée", read with its accents: "seront-elles au programme" has none); Dutch: the participle
    closing the sentence ("wordt de keynote opgenomen").
    """
    folded = fold(message).split()
    accented = _ACCENTED_WORD.findall(unicodedata.normalize("NFC", message).casefold())
    for words, lang, pattern in ((folded, "en", _ENGLISH_PARTICIPLE), (accented, "fr", _FRENCH_PARTICIPLE)):
        for place, word in enumerate(words):
            if word not in _PASSIVE_AUXILIARIES[lang]:
                continue
            for after in range(place + 1, min(place + 4, len(words))):
                following = words[after + 1] if after + 1 < len(words) else ""
                if pattern.fullmatch(words[after]) and fold(following) in _AFTER_PASSIVE:
                    return True
    for place, word in enumerate(folded):
        rest = folded[place + 1 :]
        closing = rest[-1] if rest else ""
        if word in _PASSIVE_AUXILIARIES["nl"] and _NO_AGENT.isdisjoint(rest) and _DUTCH_PARTICIPLE.fullmatch(closing):
            return True
    return False


# A hedge that makes a statement a check ("it's a Wednesday, if I'm not mistaken?", "als ik me niet vergis", "si je ne
# m'abuse") asks nothing and negates nothing: the check is read without it. A language's facts, not an event's.
_HEDGES = re.compile(
    r"\b(?:if i['’]?m not (?:mistaken|wrong)|unless i['’]?m (?:mistaken|wrong)|correct me if i['’]?m wrong"
    r"|or am i (?:mistaken|wrong)|als ik me niet vergis|tenzij ik me vergis|als ik het goed heb|of vergis ik (?:me|mij)"
    r"|si je ne m['’]\s?abuse|si je ne me trompe(?: pas)?|sauf erreur(?: de ma part)?|ou (?:bien )?je me trompe"
    r"|(?:i['’]?m |i am )?(?:pretty|fairly|quite|almost) sure|(?:ik ben )?(?:vrij|redelijk|bijna) zeker"
    r"|(?:je suis )?(?:assez|presque|quasi(?:ment)?) s[uû]re?)\b",
    re.IGNORECASE,
)


# Whose view is asked ("according to him", "volgens hem", "d'après lui") names no topic: the question is about what the
# speaker says, and the topic is in its other words. Read without it, as without a hedge; a name stays ("selon X").
_ATTRIBUTIONS = re.compile(
    r"(?:,\s*)?\b(?:according to (?:him|her|them|the (?:keynote )?speaker|the keynote|the article)"
    r"|in (?:his|her|their) (?:view|opinion|eyes|words)"
    r"|volgens (?:hem|haar|hen|de (?:keynote ?)?spreker|de keynote|het artikel)"
    r"|naar (?:zijn|haar) mening|in (?:zijn|haar) ogen"
    r"|(?:selon|d['’]\s?apr[eè]s) (?:lui|elle|eux|l['’]\s?orateur|le conf[ée]rencier|l['’]\s?article)"
    r"|(?:à|a) son avis|(?:de|à|a|selon) son point de vue)\b",
    re.IGNORECASE,
)


def without_hedges(message: str) -> str:
    """``message`` without hedges ("if I'm not mistaken", "si je ne m'abuse") and attributions ("selon lui").

    A hedge makes a statement a check (``_HEDGES``); an attribution says whose view is asked (``_ATTRIBUTIONS``).
    """
    return _ATTRIBUTIONS.sub(" ", _HEDGES.sub(" ", message))


# A yes/no question whether the event is about something ("is the event mostly about AI?", "gaat het dit jaar over
# medtech?", "ça parle surtout d'IA ?", "l'accent est-il mis sur ...?"): whatever it names, the event's subject is asked
# about, and the entry answering ``SUBJECT_QUESTIONS`` answers it. Read on folded words; a language's facts.
_EN_SUBJECT = (
    r"(?:it|this|that|the event|the conference|the summit|the congress|this event|this conference|this one"
    r"|this year s (?:edition|event|conference)|this year|this edition|the edition)"
)
_EN_FILLER = (
    r"(?: (?:\d{4}|going to be|gonna be|be|this year|mainly|mostly|all|primarily|really|more|largely|just|only))*"
)
_NL_FILLER = (
    r"(?: (?:dit jaar|vooral|voornamelijk|echt|nu|toch|ook|hoofdzakelijk|deze keer|allemaal|enkel|alleen|\d{4}))*"
)
_FR_FILLER = (
    r"(?: (?:surtout|principalement|vraiment|aussi|cette annee|cette fois|cette fois ci|essentiellement|plutot"
    r"|avant tout|uniquement|seulement|bien|t il|t elle))*"
)
_ABOUT_THE_EVENT = re.compile(
    "|".join(
        (
            rf"\b(?:is|was|will|s) {_EN_SUBJECT}{_EN_FILLER} (?:about|focused on|focussed on|focusing on|centred on"
            r"|centered on|zooming in on)\b",
            r"\b(?:it s|its|it is|it was)(?: (?:all|mainly|mostly|primarily|really|more|largely))* about\b",
            r"\b(?:is|was|will) the (?:main |big |overall )?(?:focus|emphasis|accent|spotlight)"
            r"(?: (?:this year|this time|be|going to be))*(?: on)?\b",
            r"\b(?:the )?(?:main |overall )?focus(?: this year| this time)? (?:is|was)\b",
            rf"\b(?:gaat|ging) (?:het|dit|deze editie|het congres|het evenement|de conferentie){_NL_FILLER} over\b",
            rf"\b(?:draait|draaide) (?:het|dit|alles){_NL_FILLER} (?:rond|om)\b",
            r"\b(?:ligt|lag) de (?:focus|nadruk|klemtoon)(?: (?:dit jaar|vooral|toch|deze keer))* op\b",
            r"\b(?:is|was) de (?:focus|nadruk|klemtoon)(?: (?:dit jaar|deze keer|nu))*(?: op)?\b",
            r"\b(?:de )?(?:focus|nadruk|klemtoon)(?: dit jaar| deze keer)? (?:is|ligt op)\b",
            rf"\b(?:ca|cela|l evenement|la conference|le congres|cette edition)(?: va)? (?:parle|parlera|porte|portera"
            rf"|traite|traitera|tourne|tournera){_FR_FILLER} (?:de|d|des|du|sur|autour)\b",
            rf"\b(?:parle|porte|traite)(?: t)? (?:il|elle){_FR_FILLER} (?:de|d|des|du|sur)\b",
            r"\bl accent (?:est il|est|sera|sera t il)(?: (?:mis|cette annee|surtout))* sur\b",
            r"\ble focus(?: de cette annee| cette annee| de l evenement)?(?: c est| est)\b",
            r"\b(?:est il|est elle|est ce) (?:axe|axee|centre|centree|focalise|focalisee) sur\b",
        )
    )
)
# The question, per language, whose entry says what the event is about.
SUBJECT_QUESTIONS = {
    "en": "what is the event about",
    "nl": "waar gaat het evenement over",
    "fr": "de quoi parle l'événement",
}


def proposed_subject(question: str) -> str | None:
    """What ``question`` asks, yes or no, whether the event is about (``_ABOUT_THE_EVENT``), folded; else ``None``.

    In its question sentences only ("Can you help me with my abstract? It's about iPSCs." asks for help), and never
    with a question word ("what is it about?" is the entry's own question).
    """
    asked = asked_text(question)
    if asks_for_something(asked):
        return None
    folded = fold(asked)
    found = _ABOUT_THE_EVENT.search(folded)
    return None if found is None else folded[found.end() :].strip()


def asks_to_book(message: str) -> bool:
    """Whether ``message`` asks the bot to book, register or pay for the asker (``BOOKING_WORDS``).

    The verb with its beneficiary beside it ("book me", "me inschrijven", "m'inscrire", "voor mij boeken"), and the
    bot asked to do it: the verb opens the message (after polite words), or "you" comes shortly before it with no
    question word between ("can you book me", "kun je mij inschrijven", "pouvez-vous m'inscrire").
    """
    words = fold(message).split()
    for lang_words in BOOKING_WORDS.values():
        for place, word in enumerate(words):
            if word not in lang_words.verbs:
                continue
            near = words[max(0, place - 3) : place] + words[place + 1 : place + 3]
            if lang_words.beneficiaries.isdisjoint(near):
                continue
            opening = [w for w in words[:place] if w not in lang_words.polite]
            if not opening:
                return True
            before = words[max(0, place - BOOKING_REACH) : place]
            asked = [i for i, w in enumerate(before) if w in lang_words.addressed]
            if asked and QUESTION_WORDS.isdisjoint(before[asked[-1] :]):
                return True
    return False


# The words of a check that name nothing ("is it", "c'est bien", "het is toch"), by language: a check's other words
# must be these, the event's or the check's own. A closed list, not the matcher's stop words, which also hold words
# that name something only too generally to rank an entry ("online", "available", "nodig"): "is it online tomorrow?"
# checks more than the day.
FUNCTION_WORDS: Mapping[str, frozenset[str]] = {
    "en": frozenset(
        {
            *("a", "an", "the", "it", "its", "is", "are", "was", "were", "be", "been", "will", "would", "do", "does"),
            *("did", "this", "that", "these", "those", "there", "so", "then", "still", "again", "also", "really"),
            *("actually", "on", "in", "at", "of", "for", "to", "from", "by", "as", "and", "s", "t", "ll", "re", "ok"),
            *("okay", "hi", "hello", "hey", "please", "pls", "plz", "thanks", "happening", "held", "taking", "place"),
            *("takes", "happen", "happens", "going", "gonna", "yes", "yeah", "yep", "one", "all", "set", "wait"),
            *("you", "u", "can", "could", "me", "sorry", "excuse", "year", "being", "have", "has", "had"),
        }
    ),
    "nl": frozenset(
        {
            *("de", "het", "een", "is", "zijn", "was", "waren", "wordt", "werd", "dat", "dit", "deze", "die", "da"),
            *("daar", "er", "nog", "al", "ook", "wel", "dan", "nu", "op", "in", "aan", "van", "voor", "bij", "en"),
            *("s", "t", "hoor", "zo", "even", "eens", "zover", "gewoon", "hallo", "hoi", "dag", "aub", "alsjeblieft"),
            *("alstublieft", "plaats", "vindt", "gaat", "door", "doorgaat", "ja", "oke", "ok"),
            *("kan", "kunt", "kun", "u", "je", "jij", "me", "mij", "sorry", "excuseer", "jaar", "heb", "hebt", "heeft"),
            *("goeiemiddag", "goedemiddag", "goeiedag", "goedendag", "goedemorgen", "goeiemorgen"),
        }
    ),
    "fr": frozenset(
        {
            *("le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "a", "est", "sont", "etait"),
            *("c", "ce", "cet", "cette", "ca", "il", "elle", "on", "y", "en", "dans", "sur", "pour", "par", "et"),
            *("se", "s", "que", "qu", "alors", "donc", "encore", "deja", "aussi", "oui", "bonjour", "salut", "svp"),
            *("stp", "merci", "lieu", "aura", "t", "bien", "ok", "passe", "deroule", "tient", "ai", "as", "avais"),
            *("vous", "pouvez", "peux", "pourriez", "pourrais", "tu", "me", "m", "moi", "excusez", "pardon", "annee"),
        }
    ),
}
# Days named relative to the moment asked, by language ("is it today?", "is het morgen?", "c'est bien demain ?"): how
# many days after the asker's today. Folded: "aujourd'hui" is "aujourd hui". By language, since Dutch "hier" is "here".
RELATIVE_DAYS: Mapping[str, Mapping[str, int]] = {
    "en": {
        **{"today": 0, "tomorrow": 1, "yesterday": -1},
        **{"tmrw": 1, "tmr": 1, "2moro": 1, "2morrow": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1},  # as typed
    },
    "nl": {"vandaag": 0, "morgen": 1, "overmorgen": 2, "gisteren": -1, "eergisteren": -2},
    "fr": {
        **{"aujourd hui": 0, "demain": 1, "apres demain": 2, "hier": -1, "avant hier": -2},
        **{"auj": 0, "ajd": 0},  # as typed
    },
}
# A time from the moment asked ("is it in three weeks?", "is het over 10 dagen?", "c'est dans deux semaines ?"): the
# units' lengths in days, and by language the words that put the number from now ("in", "over", "dans": that far, a
# quarter of a unit either way, days exact) or within it ("within", "binnen", "d'ici": at most that far). The number
# is in figures or words (``NUMBER_VALUES``, an article: "in a week"); a duration with no such word just before it
# ("a two-day event", "in over 10 days", "dans plus de 2 semaines") proposes no day. French counts a week as eight days
# and two as fifteen ("dans huit jours", "dans quinze jours"), Dutch one as eight ("over acht dagen").
DURATION_UNITS: Mapping[str, int] = {
    **dict.fromkeys(("day", "days", "dag", "dagen", "jour", "jours"), 1),
    **dict.fromkeys(("week", "weeks", "weken", "semaine", "semaines"), 7),
    **dict.fromkeys(("month", "months", "maand", "maanden", "mois"), 30),
}
_FROM_NOW: Mapping[str, frozenset[str]] = {
    "en": frozenset({"in"}),
    "nl": frozenset({"over", "in"}),
    "fr": frozenset({"dans"}),
}
_WITHIN: Mapping[str, frozenset[str]] = {
    "en": frozenset({"within"}),
    "nl": frozenset({"binnen"}),
    "fr": frozenset({"ici"}),  # "d'ici" folds to "d ici"
}
_COUNTS: Mapping[str, int] = {
    **dict.fromkeys(("a", "an", "one", "een", "un", "une"), 1),
    **dict.fromkeys(("fifteen", "vijftien", "quinze"), 15),
}
_IDIOMS: Mapping[tuple[str, int], int] = {("fr", 8): 7, ("fr", 15): 14, ("nl", 8): 7}  # days said for weeks
# What a time may be counted from ("in two weeks from tomorrow", "over twee weken vanaf morgen", "dans deux semaines
# après demain"); from the moment asked ("from now"), or from a relative day, it is judged, from anything else not.
_FROM: Mapping[str, frozenset[str]] = {
    "en": frozenset({"from", "after", "of"}),  # "within two weeks of today"
    "nl": frozenset({"vanaf", "na"}),
    "fr": frozenset({"apres", "partir"}),  # "à partir de"
}
_NOW = frozenset({"now", "today", "nu", "vandaag", "maintenant"})


@dataclass(frozen=True)
class Duration:
    """A time from now proposed: whether it holds (None: counted from a day not known), and its words' places."""

    holds: bool | None
    places: frozenset[int]


# "Tonight", "ce soir" name a time of day the announcement may not give: no such day is judged. Dutch "morgen" is also
# "morning" after these words ("in de morgen", "'s morgens", "goeiemorgen" written apart) and a greeting opening a
# message ("Morgen, is het in Brussel?").
_NOT_A_DAY_AFTER: Mapping[str, frozenset[str]] = {"nl": frozenset({"de", "s", "goede", "goeie", "deze", "elke", "een"})}
_GREETING = re.compile(r"\s*morgen\s*[,!]", re.IGNORECASE)  # Dutch: the other languages' names greet nobody
# A day of the month: an ordinal ("5th", "14e", "5de", "1er") or a bare number in a date's place.
_DAY = re.compile(r"(0?[1-9]|[12]\d|3[01])(st|nd|rd|th|e|de|ste|er|eme|ieme)?")
# Words after which a bare number is a day: "the 5", "le 14", "de 5", "on the 5th".
_DAY_BEFORE = frozenset({"the", "le", "de", "op", "on", "du"})
# A date in figures, day first as Belgians write it: "4/11", "04/11/2025", "4.11.2025", "4-11-2025".
NUMERIC_DATE = re.compile(
    r"(?<![\w/.-])(0?[1-9]|[12]\d|3[01])(?:/(0?[1-9]|1[0-2])(?:/(?:\d{2}|\d{4}))?"
    r"|([.-])(0?[1-9]|1[0-2])\3(?:\d{2}|\d{4}))(?![\w/]|[.-]\d)"
)
# A date in figures counts only within this many months of the event's: for an event in November, "4/5" is a rating,
# "24/7" a schedule and "11/4" the 4th of November in an American hand, none a day anyone proposes.
NEAR_MONTHS = 1


@dataclass(frozen=True)
class Proposed:
    """The values a message proposes, each with whether it holds: of the date (by part) and of the city."""

    weekdays: tuple[bool, ...] = ()
    days: tuple[bool, ...] = ()  # days of the month, alone ("the 5th") or in a date
    months: tuple[bool, ...] = ()
    years: tuple[bool, ...] = ()
    places: tuple[bool, ...] = ()
    words: frozenset[str] = frozenset()  # the folded words that carry the values

    @property
    def proposes_a_day(self) -> bool:
        """Whether a day is proposed (its weekday, day of the month or month), not only a year or a city."""
        return bool(self.weekdays or self.days or self.months)

    def verdict(self, date_stated: bool, place_stated: bool, alternatives: bool) -> Verdict | None:
        """Whether the values an answer states hold: "yes" all, "no" one fails (no alternative offered), else None.

        ``date_stated``/``place_stated``: the answer states the date/the city, so its values can be judged. None:
        nothing to judge, or alternatives ("the 4th or the 5th?") with one holding.
        """
        judged = [
            *((*self.weekdays, *self.days, *self.months, *self.years) if date_stated else ()),
            *(self.places if place_stated else ()),
        ]
        if not judged:
            return None
        if all(judged):
            return "yes"
        return None if alternatives and any(judged) else "no"


def asks_whether_exists(question: str) -> bool:
    """Whether ``question`` asks whether something exists ("is there parking?", "zijn er ...", "y a-t-il ...")."""
    return _EXISTENTIAL.search(" " + fold(question) + " ") is not None


def proposes_a_value(kinds: str) -> bool:
    """Whether a message's content words, in order ("k": known to the knowledge, "u": not), name a topic, then a value.

    "is the focus digital health?" (k u u), "keynote guy is from imec yeah?" (k u u), "hij wil samenwerken met
    Duitsland en Frankrijk, klopt dat?" (k u u): the asker's value follows what it is a value of; a right value is
    known ("I heard there will be case studies. Correct?": k k). "is VIB hiring postdocs at the moment?" (k u u) reads
    the same: the model's off-topic reading of the whole message is the guard there. "parking near the venue?" (u k)
    and "weather in bxl next tues" (u u u) do not.
    """
    return _VALUE_PROPOSED.fullmatch(kinds) is not None


def is_check(question: str) -> bool:
    """Whether ``question`` checks rather than asks: its question sentences have no question word ("where", "quand")."""
    return not asks_for_something(asked_text(question))


def asked_words(question: str) -> list[str]:
    """The folded words of ``question``'s question sentences (all of it when none ends with "?")."""
    return fold(asked_text(question)).split()


# The verbs that open a yes/no question written without its "?" ("is the keynote from VIB", "komt hij van VIB", "est-il
# de VIB"), in English, Dutch and French, folded. A language's facts, not an event's.
QUESTION_OPENERS = frozenset(
    {
        *("is", "are", "was", "were", "will", "would", "does", "do", "did", "can", "could", "has", "have", "should"),
        *("zijn", "wordt", "worden", "komt", "gaat", "heeft", "hebben", "kan", "kun", "kunt", "mag", "moet", "zal"),
        *("zou", "staat", "spreekt", "geeft", "waren", "est", "sont", "va", "peut", "faut", "y", "serait"),
    }
)


def said_not_asked(message: str) -> bool:
    """Whether ``message`` states or tells rather than asks: no "?", no check's word, no tag, no opening verb.

    "see you tomorrow!", "tot morgen", "play some music": no check, whatever value they name; "is the keynote guy
    from VIB or from pharma" asks, its "?" left out.
    """
    words = fold(message).split()
    return (
        "?" not in message
        and CHECK_WORDS.isdisjoint(words)
        and without_tag(words) == words
        and (not words or words[0] not in QUESTION_OPENERS)
    )


def without_tag(words: list[str]) -> list[str]:
    """``words`` (folded) without a closing tag question ("..., isn't it", "n'est-ce pas", "niet", "toch")."""
    return _TAG.sub("", " " + " ".join(words)).split()


def is_negated(words: list[str]) -> bool:
    """Whether ``words`` (folded) negate ("not", "isn't", "niet", "pas") before a closing tag question."""
    kept = without_tag(words)
    return not NEGATIONS.isdisjoint(kept) or _SHORT_NEGATION.search(" ".join(kept)) is not None


def about_a_person(words: list[str]) -> bool:
    """Whether ``words`` (folded) speak of a person's own doings ("I have a meeting"), reporting no belief."""
    return not PERSONS.isdisjoint(words) and BELIEF_WORDS.isdisjoint(words)


def asks_to_act(words: Iterable[str]) -> bool:
    """Whether ``words`` (folded) ask the bot to do something ("send me the slides", "envoyez-moi"): no check."""
    return not ACTION_VERBS.isdisjoint(words)


def asks_to_translate(message: str) -> bool:
    """Whether ``message`` asks the bot to translate a text: the request opens it or comes before a colon.

    "translate to French: ...", "can you translate ...", "vertaal deze mail", "peux-tu traduire ..." do; "when is it?
    translate your answer to Dutch" asks when, "will the keynote be translated?" asks about translation.
    """
    head, colon, _ = message.partition(":")
    words = fold(head if colon else message).split()
    return not TRANSLATE_VERBS.isdisjoint(words[:4] if not colon else words)


def offers_alternatives(words: Iterable[str], lang: str) -> bool:
    """Whether ``words`` (folded) offer alternatives in ``lang`` ("or", "of", "ou")."""
    return not ALTERNATIVES.get(lang, frozenset()).isdisjoint(words)


def asked_text(question: str) -> str:
    """``question``'s question sentences (all of it when none ends with "?"): what a check is made of."""
    return " ".join(sentences(question)) or question


def proposed(
    asked: str,
    day: date,
    places: frozenset[str],
    other_places: frozenset[str],
    *,
    today: date,
    lang: str,
) -> Proposed:
    """The values ``asked`` (a message's question sentences, ``asked_text``) proposes, judged against the event.

    ``places``: the city's names, folded (in every language); ``other_places``: other cities' names, folded. ``today``:
    the asker's date, against which a day named in ``lang`` relative to it ("tomorrow", "morgen") is judged. A day of
    the month counts as an ordinal ending a sentence or before a month, "of" or "or" ("the 5th", "the 5th of
    November", not "the 5th edition" nor "the 1st Tuesday"), or as a bare number beside a month or a weekday or after
    "the", "le", "op" ("c'est le mardi 5 ?"); a bare number elsewhere is a count ("3 people"), not a day.
    """
    weekdays: list[bool] = []
    days: list[bool] = []
    months: list[bool] = []
    carriers: set[str] = set()
    years = [int(year) == day.year for year in YEAR.findall(asked)]
    carriers.update(YEAR.findall(asked))
    for match in NUMERIC_DATE.finditer(asked):  # "4/11", "04.11.2025": day and month, near the event's month
        month = int(match.group(2) or match.group(4))
        if min((month - day.month) % 12, (day.month - month) % 12) <= NEAR_MONTHS:
            days.append(int(match.group(1)) == day.day)
            months.append(month == day.month)
            carriers.update(fold(match.group(0)).split())
    words = fold(NUMERIC_DATE.sub(" ", asked)).split()
    timed = durations(words, lang, day.toordinal() - today.toordinal())
    if any(duration.holds is None for duration in timed):
        return Proposed()  # "in two weeks from Monday": counted from a day not known, no value can be judged
    for duration in timed:
        days.append(bool(duration.holds))  # the whole date at once, as a relative day
        carriers.update(words[place] for place in duration.places)
    counted = frozenset().union(*(duration.places for duration in timed))  # "from tomorrow": counted from, not proposed
    unread = [word if place not in counted else "" for place, word in enumerate(words)]
    for name in relative_days(unread, lang, greeting=_GREETING.match(asked) is not None):
        days.append(today.toordinal() + RELATIVE_DAYS[lang][name] == day.toordinal())  # the whole date at once
        carriers.update(name.split())
    month_of, weekday_of, short_weekday_of = month_numbers(), weekday_numbers(), short_weekday_numbers()
    for position, word in enumerate(words):
        if word in weekday_of:
            weekdays.append(weekday_of[word] == day.weekday())
        elif word in short_weekday_of and _is_a_day_at(words, position + 1) and not _is_a_month(words, position):
            weekdays.append(short_weekday_of[word] == day.weekday())  # "wed 5 nov", "di 4 nov"; not "do 5 people"
        elif word in month_of:
            months.append(month_of[word] == day.month)
        elif (found := _DAY.fullmatch(word)) is not None and is_a_day(words, position, bool(found.group(2))):
            days.append(int(found.group(1)) == day.day)
        else:
            continue
        carriers.add(word)
    place_words = [word for word in words if word in places or word in other_places]
    carriers.update(place_words)
    found_places = tuple(word in places for word in place_words)
    return Proposed(tuple(weekdays), tuple(days), tuple(months), tuple(years), found_places, frozenset(carriers))


def durations(words: list[str], lang: str, days_away: int) -> list[Duration]:
    """The times from now ``words`` (folded, in ``lang``) propose, for a day ``days_away`` days from the moment asked.

    "in three weeks" holds 20 to 22 days away, "over 10 dagen" 10, "binnen twee weken" 0 to 14, "d'ici deux mois" 0
    to 60; after the day, none holds. Counted from a relative day ("in two weeks from tomorrow"), from that day.
    """
    found: list[Duration] = []
    for place in range(1, len(words) - 1):
        count = _COUNTS.get(words[place]) or int(in_figures(words[place]) or 0)
        unit, before = DURATION_UNITS.get(words[place + 1]), words[place - 1]
        within = before in _WITHIN.get(lang, frozenset())
        if not count or unit is None or not (within or before in _FROM_NOW.get(lang, frozenset())):
            continue
        length = _IDIOMS.get((lang, count), count) if unit == 1 else count * unit
        places = set(range(place - 1, place + 2)) | (
            {place - 2} if before == "ici" and words[place - 2 : place - 1] == ["d"] else set()
        )
        start = days_away
        after = place + 3 if words[place + 2 : place + 3] == ["a"] else place + 2  # "à partir de demain"
        if words[after : after + 1] and words[after] in _FROM.get(lang, frozenset()):
            anchor = [w for w in words[after + 1 : after + 4] if w not in ("de", "d")][:2]
            names = RELATIVE_DAYS.get(lang, {})
            name = next((" ".join(anchor[:size]) for size in (2, 1) if " ".join(anchor[:size]) in names), None)
            if name is None and anchor[:1] and anchor[0] in _NOW:
                name = anchor[0]
            if name is None:
                found.append(Duration(None, frozenset(places)))
                continue
            start = days_away - names.get(name, 0)
            tail = words.index(name.split()[-1], place + 2)
            places |= set(range(place + 2, tail + 1))
        holds = 0 <= start <= length if within else abs(start - length) <= unit // 4 and days_away >= 0
        found.append(Duration(holds, frozenset(places)))
    return found


def relative_days(words: list[str], lang: str, greeting: bool = False) -> list[str]:
    """The names of days ``words`` (folded, in ``lang``) give relative to the day asked (``RELATIVE_DAYS``).

    The longest name first, its words used once ("après-demain" is 2 days on, not also "demain"); Dutch "morgen" after
    "de" or "'s" is the morning, and opening a message followed by a comma (``greeting``) a greeting.
    """
    names = RELATIVE_DAYS.get(lang, {})
    longest = max((len(name.split()) for name in names), default=0)
    found: list[str] = []
    position = 0
    while position < len(words):
        for size in range(min(longest, len(words) - position), 0, -1):
            name = " ".join(words[position : position + size])
            before = words[position - 1] if position else ""
            morning = before in _NOT_A_DAY_AFTER.get(lang, frozenset()) or (greeting and position == 0)
            if name in names and not morning:
                found.append(name)
                position += size
                break
        else:
            position += 1
    return found


def names_another_edition(words: list[str], day: date) -> bool:
    """Whether ``words`` (folded) name another year than ``day``'s outside a date: "Science for Health 2026", "in 2024".

    In a date ("on 4 Nov 2026") a year is a value the check proposes; alone, it names an edition, unless offered as
    an alternative to ``day``'s year ("2025 or 2026?").
    """
    months = month_numbers()
    alternatives = frozenset().union(*ALTERNATIVES.values())
    for position, word in enumerate(words):
        if YEAR.fullmatch(word) and int(word) != day.year:
            before = words[position - 1] if position else ""
            near = words[max(0, position - 4) : position + 5]  # "2025 or 2026", "2025 of pas in 2026"
            offered = str(day.year) in near and not alternatives.isdisjoint(near)
            if before not in months and _DAY.fullmatch(before) is None and not offered:
                return True
    return False


# A later year after these words, while the edition is still to come, is a time proposed for it ("is the event in
# 2026?"), not another edition's name ("Science for Health 2026").
YEAR_AS_A_TIME = frozenset({"in", "en"})
# A year beside an edition's word in a message saying "this" is proposed as this edition's ("this is the 2024 edition,
# right?", "c'est bien l'édition 2024 ?"); without "this" it names another ("will the 2026 edition be ...").
EDITION_WORDS = frozenset({"edition", "editie"})
THIS_WORDS = frozenset({"this", "deze", "dit", "cette", "cet"})
_THIS_IN_FRENCH = re.compile(r"\bc est (?:bien )?l edition\b")
# "this" says the year is this edition's only this close before it ("is this the 2024 edition?"), and a year proposed
# as a time needs a verb from as close ("is the event in 2026?", not "and in 2026?").
YEAR_REACH = 5
BE_WORDS = frozenset({"is", "s", "be", "was", "will", "est", "sera", "serait", "wordt", "zal"})
# Words saying another edition is meant besides this one ("is it in 2026 again?", "ook in 2026?").
AGAIN_WORDS = frozenset({"again", "also", "too", "ook", "weer", "opnieuw", "encore", "aussi", "egalement"})


def proposes_a_year_of_this_edition(words: list[str], day: date, upcoming: bool) -> bool:
    """Whether each year ``words`` (folded) name but ``day``'s is proposed as this edition's: a wrong one to correct.

    A later year after "in"/"en" beside a verb ("is the event in 2026?") while the edition is ``upcoming``, or a year
    beside an edition's word right after "this" ("is this the 2024 edition?"; a later one only while ``upcoming``).
    Never in a message naming ``day``'s year too ("the 2024 edition was great, this one is in 2025, right?": the other
    year compares), beside "again" or "also" ("will it be in 2026 again?"), nor an earlier year after "in" ("was it in
    2024?": that edition), nor without a verb ("and in 2026?").
    """
    if not AGAIN_WORDS.isdisjoint(words) or str(day.year) in words:
        return False
    for position, word in enumerate(words):
        if not YEAR.fullmatch(word) or int(word) == day.year:
            continue
        later = int(word) > day.year
        before = words[position - 1] if position else ""
        as_a_time = (
            upcoming
            and later
            and before in YEAR_AS_A_TIME
            and not BE_WORDS.isdisjoint(words[max(0, position - YEAR_REACH) :])
        )
        lead = words[max(0, position - YEAR_REACH) : position]
        beside = {before, *words[position + 1 : position + 2], *lead[-2:-1]}
        said_this = not THIS_WORDS.isdisjoint(lead) or _THIS_IN_FRENCH.search(" ".join(lead)) is not None
        as_this_edition = (upcoming or not later) and said_this and not EDITION_WORDS.isdisjoint(beside)
        if not (as_a_time or as_this_edition):
            return False
    return True


def is_a_day(words: list[str], position: int, ordinal: bool) -> bool:
    """Whether the number at ``position`` of ``words`` is a day of the month (see ``proposed``)."""
    months, weekdays = month_numbers(), weekday_numbers()
    before = words[position - 1] if position else ""
    after = words[position + 1] if position + 1 < len(words) else ""
    linked = words[position + 1 : position + 3]
    beside_month = (
        before in months or after in months or (len(linked) == 2 and linked[0] in DAY_LINKS and linked[1] in months)
    )
    if beside_month or before in weekdays or (not ordinal and before in _DAY_BEFORE):
        return True
    if len(linked) == 2 and linked[0] in (*DAY_LINKS, "or") and (day := _DAY.fullmatch(linked[1])) is not None:
        return is_a_day(words, position + 2, bool(day.group(2)))  # "4 or 5 november", "le 4 ou le 5"
    return ordinal and (after in ("", "or", "of", "ou", "en", "et") or after in CHECK_WORDS)


def _is_a_month(words: list[str], position: int) -> bool:
    """Whether the word at ``position``, a month's name too ("mar"), is the month: no other month follows its day."""
    months = month_numbers()
    return words[position] in months and (position + 2 >= len(words) or words[position + 2] not in months)


def _is_a_day_at(words: list[str], position: int) -> bool:
    """Whether ``words`` has a day of the month at ``position`` (``is_a_day``)."""
    found = _DAY.fullmatch(words[position]) if position < len(words) else None
    return found is not None and is_a_day(words, position, bool(found.group(2)))


@lru_cache(maxsize=1)
def short_weekday_numbers() -> dict[str, int]:
    """Each weekday's abbreviated name in English, Dutch and French, folded ("wed", "di", "mer"): its number (Babel).

    Many are everyday words too ("do", "sat", "mar"): a check reads one only before a day of the month.
    """
    from babel.dates import get_day_names

    return {
        fold(name): number
        for locale in MONTH_LOCALES
        for number, name in get_day_names("abbreviated", locale=locale).items()
    }


@lru_cache(maxsize=1)
def weekday_numbers() -> dict[str, int]:
    """Each weekday's full name in English, Dutch and French, folded: its number, Monday 0 (Babel)."""
    from babel.dates import get_day_names

    return {
        fold(name): number for locale in MONTH_LOCALES for number, name in get_day_names("wide", locale=locale).items()
    }


# A check of a figure the asker proposes ("most VC funds are around 500 million, right?", "il veut multiplier le
# capital par dix, c'est ça ?"): what the figure counts, read from the word beside it. A figure is a number in figures
# or words, or a magnitude that is one ("a billion"). Years are no kind: "is VIB 30 years old?" checks no entry's
# figure. A language's facts, not an event's: which entry states a figure of which kind is read from its answer.
FIGURE_KINDS: Mapping[str, frozenset[str]] = {
    "money": frozenset(
        {
            *("million", "millions", "billion", "billions", "eur", "euro", "euros", "mn", "bn"),
            *("miljoen", "miljoenen", "miljard", "miljarden", "milliard", "milliards"),
        }
    ),
    "multiple": frozenset({"times", "fold", "factor", "keer", "maal", "fois", "facteur"}),
}
_MAGNITUDES = frozenset({"million", "millions", "billion", "billions", "miljoen", "miljard", "milliard", "milliards"})
# Numbers written out, in English, Dutch and French, folded: their value in figures ("five", "vijf", "cinq": "5").
NUMBER_VALUES: Mapping[str, str] = {
    word: str(value)
    for words, value in (
        (("two", "twee", "deux"), 2), (("three", "drie", "trois"), 3), (("four", "vier", "quatre"), 4),
        (("five", "vijf", "cinq"), 5), (("six", "zes"), 6), (("seven", "zeven", "sept"), 7),
        (("eight", "acht", "huit"), 8), (("nine", "negen", "neuf"), 9), (("ten", "tien", "dix"), 10),
        (("twenty", "twintig", "vingt"), 20), (("thirty", "dertig", "trente"), 30),
        (("fifty", "vijftig", "cinquante"), 50), (("septante",), 70), (("hundred", "honderd", "cent"), 100),
    )
    for word in words
}  # fmt: skip
NUMBER_WORDS = frozenset(NUMBER_VALUES)
# Words that are a multiple by themselves ("double", "tenfold", "vertienvoudigen", "décupler"), folded: its factor.
MULTIPLE_VALUES: Mapping[str, str] = {
    word: str(value)
    for words, value in (
        (("double", "doubled", "doubling", "twofold", "verdubbelen", "verdubbeld", "verdubbeling", "dubbel",
          "doubler", "doublement", "doublee", "doubles"), 2),
        (("triple", "tripled", "threefold", "verdrievoudigen", "verdrievoudigd", "verdrievoudiging", "tripler"), 3),
        (("fourfold", "quadruple", "verviervoudigen", "verviervoudiging", "quadrupler"), 4),
        (("fivefold", "quintuple", "vervijfvoudigen", "vervijfvoudigd", "vervijfvoudiging", "quintupler"), 5),
        (("tenfold", "vertienvoudigen", "vertienvoudigd", "vertienvoudiging", "decupler", "decuple"), 10),
    )
    for word in words
}  # fmt: skip
FIGURE_REACH = 2  # how far from its number the word saying what it counts may stand ("factor of five", "ten times")
# A verb of multiplying makes any number of its sentence a multiple ("multiplier le capital par dix").
_MULTIPLYING = frozenset({"multiply", "multiplied", "vermenigvuldigen", "vermenigvuldigd", "multiplier", "multiplie"})


def in_figures(word: str) -> str | None:
    """The number a folded word is, in figures ("cinq": "5", "30": "30", "tenfold": "10"); ``None``: no number."""
    return NUMBER_VALUES.get(word) or MULTIPLE_VALUES.get(word) or (word if word.isdigit() else None)


def numbers_in(text: str) -> frozenset[str]:
    """The numbers ``text`` states, in figures: a number written out as its value ("three": "3")."""
    return frozenset(number for word in fold(text).split() if (number := in_figures(word)))


def proposed_numbers(text: str) -> frozenset[str]:
    """The numbers ``text`` proposes, in figures, but a date's: none beside a month or a weekday, none of four digits.

    "le VIB a été fondé il y a trente ans, non ?": "30"; "is it on Wednesday 5 November?": none (a date's check does).
    """
    words = fold(text).split()
    dated = month_numbers().keys() | weekday_numbers().keys()
    return frozenset(
        number
        for place, word in enumerate(words)
        if (number := in_figures(word)) and len(word) != 4 and dated.isdisjoint(words[max(0, place - 1) : place + 2])
    )


def figure_kinds(text: str, multiple_words: bool = True) -> frozenset[str]:
    """The kinds of figure (``FIGURE_KINDS``) ``text`` states or proposes: a number beside a word saying what it is.

    With ``multiple_words``, a word that is a multiple by itself ("tenfold", ``MULTIPLE_VALUES``) is one: a check
    proposing it ("he wants to double the capital, right?") asks for the entry stating a multiple; an answer saying
    that approval is "doubled" states no figure a check could correct.
    """
    words = fold(text).split()
    multiplying = not _MULTIPLYING.isdisjoint(words)
    found: set[str] = set()
    for place, word in enumerate(words):
        if word in MULTIPLE_VALUES:  # "tenfold": a number and what it counts in one word
            if multiple_words:
                found.add("multiple")
            continue
        is_number = word in NUMBER_WORDS or any(ch.isdigit() for ch in word)
        if not (is_number or word in _MAGNITUDES):
            continue
        near = words[max(0, place - FIGURE_REACH) : place + FIGURE_REACH + 1] if is_number else [word]
        found.update(kind for kind, units in FIGURE_KINDS.items() if not units.isdisjoint(near))
        if is_number and multiplying:
            found.add("multiple")
    return frozenset(found)

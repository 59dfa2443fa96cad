"""Write a corpus of realistic NHS comms drafts for the benchmarks (benchmarks/corpus/).

    python benchmarks/make_corpus.py [--count 1000] [--out benchmarks/corpus] [--seed 7]

Posts are Markdown drafts with YAML front matter, as the comms team writes them: Mid and South
Essex ICB topics (flu jabs, NHS 111, Pharmacy First, GP appointments, mental health, screening,
A&E...), towns, platforms, links, emoji and hashtags, some of them with the mistakes the rules
exist for (lowercase multi-word hashtags, unexplained abbreviations, jargon, long sentences,
ALL CAPS, a personal e-mail address). The same seed always writes the same corpus. The corpus
is text-only: media checks are measured by their own tests, not here. The folder is
gitignored: never commit it.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent

TOWNS = [
    "Basildon", "Southend-on-Sea", "Thurrock", "Chelmsford", "Brentwood", "Billericay",
    "Wickford", "Rayleigh", "Rochford", "Canvey Island", "Grays", "Tilbury", "Maldon",
    "Braintree", "Witham", "Leigh-on-Sea", "Shoeburyness", "South Woodham Ferrers",
]  # fmt: skip
PLACES = [
    "your local pharmacy", "your GP practice", "the Orsett Hospital clinic",
    "Basildon University Hospital", "Southend University Hospital", "Broomfield Hospital",
    "the community diagnostic centre", "the walk-in vaccination centre", "the library",
]  # fmt: skip
GOOD_TAGS = [
    "#FluJab", "#NHS111", "#PharmacyFirst", "#MentalHealthAwareness", "#StopSmoking",
    "#WinterWell", "#HelpUsHelpYou", "#CervicalScreening", "#BloodDonation", "#Covid19",
    "#SelfCare", "#KnowYourNumbers", "#Essex", "#CarersWeek",
]  # fmt: skip
BAD_TAGS = ["#flujab", "#mentalhealthawareness", "#pharmacyfirst", "#stopsmoking", "#winterwell"]
LINKS = [
    "https://www.nhs.uk/vaccinations/flu-vaccine/", "https://111.nhs.uk",
    "https://www.midandsouthessex.ics.nhs.uk/", "https://www.nhs.uk/nhs-services/pharmacies/",
    "https://www.nhs.uk/mental-health/", "https://www.blood.co.uk",
    "https://www.nhs.uk/better-health/quit-smoking/",
]  # fmt: skip
PLATFORM_SETS = [
    ["x"], ["facebook"], ["x", "facebook"], ["instagram"], ["linkedin"],
    ["x", "facebook", "instagram"], ["facebook", "linkedin"], ["threads", "bluesky"],
]  # fmt: skip
EMOJI = ["💉", "📞", "💙", "🩺", "👍", "🏥", "⏰", "✅"]

OPENINGS = [
    "Flu jabs are free for everyone aged 65 and over, and for people with some long-term "
    "conditions.",
    "Feeling unwell and not sure where to go? NHS 111 can help you 24 hours a day.",
    "Pharmacy First means you can get treatment for seven common conditions from "
    "{place} without a GP appointment.",
    "It's okay not to be okay. If you are struggling, talk to someone today.",
    "Cervical screening saves lives. If you have had your letter, book your appointment.",
    "Our new community diagnostic centre in {town} is now open for scans and tests.",
    "A&E is for life-threatening emergencies. For everything else, choose the right service.",
    "Thinking of stopping smoking? Free support is available in {town}.",
    "Give blood this winter: one donation can help save up to three lives.",
    "Carers do an amazing job. Find out what support is available for you in {town}.",
    "GP practices in {town} are offering evening and weekend appointments this month.",
    "Know your numbers: a free blood pressure check takes five minutes at {place}.",
]  # fmt: skip
MIDDLES = [
    "Book at {place} in {town} or find a walk-in clinic near you.",
    "You can also use the NHS App to order repeat prescriptions and see your records.",
    "Pharmacists can give advice on sore throats, earache, sinusitis and urinary infections.",
    "If you need help urgently, call 111 or visit 111.nhs.uk.",
    "Clinics run from 9am to 5pm, Monday to Saturday, in {town}.",
    "Appointments take about ten minutes, and you do not need to bring anything with you.",
    "Speak to a member of staff if you need an interpreter or step-free access.",
    "The ICB is working with partners across the ICS to cut waiting times this winter.",
    "Please utilise the online service to facilitate a more streamlined patient journey.",
    "We are leveraging our system-wide capacity to deliver a step change in outcomes.",
    "Patients who are eligible for the vaccination programme, which is being delivered by "
    "local pharmacies and GP practices across Mid and South Essex in partnership with the "
    "integrated care board, should book as soon as possible so that they are protected "
    "before the busiest weeks of winter arrive.",
    "DON'T WAIT until you are really unwell.",
    "Questions? Email jane.smith@gmail.com and we will get back to you.",
    "Our LTC team and the MDT will review your care plan.",
]  # fmt: skip
CLOSINGS = [
    "Find out more: {link}",
    "More information: {link}",
    "Book now: {link}",
    "Thank you for helping us to help you.",
    "Stay well this winter.",
    "Share this post with someone who might need it.",
]  # fmt: skip


def make_post(rng: random.Random, number: int) -> str:
    town = rng.choice(TOWNS)
    place = rng.choice(PLACES)
    parts = [rng.choice(OPENINGS)]
    for middle in rng.sample(MIDDLES, rng.choice([1, 1, 2])):
        parts.append(middle)
    parts.append(rng.choice(CLOSINGS))
    text = " ".join(parts).format(town=town, place=place, link=rng.choice(LINKS))
    if rng.random() < 0.3:
        text = f"{rng.choice(EMOJI)} {text}"
    tags = rng.sample(GOOD_TAGS, rng.choice([1, 2, 2, 3]))
    if rng.random() < 0.2:
        tags[0] = rng.choice(BAD_TAGS)
    text = f"{text}\n\n{' '.join(tags)}"
    platforms = rng.choice(PLATFORM_SETS)
    day = 1 + number % 28
    hour = rng.choice([8, 9, 12, 17, 19])
    front = [
        "---",
        f"platforms: [{', '.join(platforms)}]",
        f"scheduled: 2027-01-{day:02d} {hour:02d}:30",
        "account: {handle: '@MSEICB', kind: corporate}",
        "---",
    ]
    return "\n".join(front) + "\n" + text + "\n"


def write_corpus(out: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths = []
    for number in range(count):
        path = out / f"post-{number:04d}.md"
        path.write_text(make_post(rng, number), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=HERE / "corpus")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_corpus(args.out, args.count, args.seed)
    print(f"wrote {len(paths)} drafts to {args.out}")


if __name__ == "__main__":
    main()

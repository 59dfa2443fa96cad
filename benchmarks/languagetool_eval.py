"""How well L001 (spelling) and L002 (grammar) do on NHS-style sentences.

Runs the real pipeline (and so the real LanguageTool) over sentences with one known error
each and over clean sentences written in the style of Mid and South Essex posts, then
reports the hit rate (an L001/L002 finding on the wrong word) and false alarms (any L001/
L002 finding on a clean sentence). L003 (information only) is counted separately.

    ./dev python benchmarks/languagetool_eval.py [--verbose] [--json]

The error sentences were written for this benchmark; about a third use patterns that
postlint's own rules (checks/data/grammar_custom.xml) do not target, so the figure is not
only a test of those rules.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from postlint.config import from_mapping
from postlint.runner import PipelineFactory, lint_paths

# (sentence, the wrong word or words as written). One error per sentence.
ERRORS: list[tuple[str, str]] = [
    # your / you're
    ("Your welcome to bring a friend to the session.", "Your"),
    ("If your over 65, your eligible for a free flu jab.", "your eligible"),
    ("Let us know if your unwell before your appointment.", "your unwell"),
    ("Book now if your pregnant: the vaccine protects your baby.", "your pregnant"),
    ("Your going to need your NHS number.", "Your"),
    ("Thank you for you're patience while we update the system.", "you're"),
    # its / it's
    ("Its never too late to stop smoking.", "Its"),
    ("Its open from 8am until 8pm every day.", "Its"),
    ("Remember, its free for everyone aged 65 and over.", "its"),
    ("The hospital has improved it's waiting times.", "it's"),
    ("Its important to finish your course of antibiotics.", "Its"),
    # there / their / they're
    ("Their are still appointments available this week.", "Their"),
    ("There going to be extra clinics in Basildon.", "There"),
    ("Parents can bring there children to the drop-in.", "there"),
    ("Call 111 if their unwell and you are worried.", "their"),
    ("Carers do a great job and we value there work.", "there"),
    # apostrophes
    ("Call the GPs surgery to book an appointment.", "GPs"),
    ("Our pharmacy's are open on bank holidays.", "pharmacy's"),
    ("The clinic's are open on Saturday morning.", "clinic's"),
    ("Lets get everyone protected this winter.", "Lets"),
    ("Were open until 6pm on Christmas Eve.", "Were"),
    ("Dont forget to order your repeat prescriptions.", "Dont"),
    ("We cant offer walk-in appointments today.", "cant"),
    # American spellings
    ("Visit the health center in Grays for a check-up.", "center"),
    ("We want to hear about your experience of pediatric care.", "pediatric"),
    ("Help us organize a community event in Tilbury.", "organize"),
    ("Our teams analyze feedback every month.", "analyze"),
    ("Childhood immunizations protect against serious illness.", "immunizations"),
    ("The color of your urine can be a sign of dehydration.", "color"),
    ("Changes in behavior can be an early sign of dementia.", "behavior"),
    ("Learn more about anemia and how to treat it.", "anemia"),
    # agreement and other grammar
    ("The nurses was very helpful.", "was"),
    ("Patients who needs help should call 111.", "needs"),
    ("You should of received a text message.", "should of"),
    ("Less people attended the clinic than last year.", "Less"),
    ("This vaccines protect you for many years.", "This"),
    ("We has opened a new clinic in Wickford.", "has"),
    ("A appointment is not needed.", "A"),
    ("We look forward to see you at the event.", "see"),
    # typos
    ("The clinic recieved more than 200 visitors.", "recieved"),
    ("Please bring your medcation with you.", "medcation"),
    ("Appointmnets can be booked online.", "Appointmnets"),
    ("Our staff are here to help you accross Essex.", "accross"),
]

# Written after the rules were final and never tuned against: the honest figure.
HELD_OUT_ERRORS: list[tuple[str, str]] = [
    ("Your invited to our open day at Orsett Hospital.", "Your"),
    ("We know its a worrying time for families.", "its"),
    ("Its been a busy weekend for our A&E teams.", "Its"),
    ("Please tell us if there details have changed.", "there"),
    ("Their is a new way to book blood tests.", "Their"),
    ("Make sure your up to date with your vaccinations.", "your"),
    ("Check the pharmacists advice before taking ibuprofen.", "pharmacists"),
    ("The doctors surgery will be closed on Monday.", "doctors"),
    ("Each of the clinics have parking.", "have"),
    ("Who's appointment is it?", "Who's"),
    ("Thank you to everyone who come to our event.", "come"),
    ("Residents was invited to share their views.", "was"),
    ("We will be loosing our old phone number next week.", "loosing"),
    ("This could effect your benefits.", "effect"),
    ("Visit your local theater for our health talk.", "theater"),
    ("Our neighborhood teams can visit you at home.", "neighborhood"),
    ("The vaccine is available for children ages 2 to 3.", "ages"),
    ("Please arrive 10 minutes early for you appointment.", "you"),
    ("Drop-in sessions are avaliable every Tuesday.", "avaliable"),
    ("Staff will explain the proceedure to you.", "proceedure"),
]
HELD_OUT_CLEAN: list[str] = [
    "You're invited to our open day at Orsett Hospital.",
    "We know it's a worrying time for families.",
    "Please tell us if your details have changed.",
    "There is a new way to book blood tests.",
    "Make sure you're up to date with your vaccinations.",
    "Ask the pharmacist for advice before taking ibuprofen.",
    "The doctor's surgery will be closed on Monday.",
    "Each of the clinics has parking.",
    "Whose appointment is it?",
    "Thank you to everyone who came to our event.",
    "Residents were invited to share their views.",
    "Our phone number is changing next week.",
    "This could affect your benefits.",
    "Our neighbourhood teams can visit you at home.",
    "Please arrive 10 minutes early for your appointment.",
    "Drop-in sessions are available every Tuesday.",
    "Staff will explain the procedure to you.",
    "Blood tests at Braintree Community Hospital are by appointment only.",
    "Winter can be hard on older people, so check in on your neighbours.",
    "Our hospitals are busy, so please use NHS 111 online first.",
]

CLEAN: list[str] = [
    "Flu jabs are free this winter for everyone aged 65 and over.",
    "You can book your COVID-19 booster through the NHS App.",
    "If you're pregnant, the flu vaccine is safe at any stage of pregnancy.",
    "Pharmacy First means pharmacists can treat seven common conditions.",
    "You don't need an appointment to see a pharmacist.",
    "It's OK not to be OK, and help is available 24 hours a day.",
    "Call NHS 111 if you need medical help fast but it's not an emergency.",
    "In an emergency, call 999 or go to your nearest A&E.",
    "Our mental health teams in Brentwood and Billericay are here to help.",
    "You can refer yourself to NHS Talking Therapies.",
    "Your GP practice may ask you some questions to help you get the right care.",
    "The pharmacy and its staff can give advice about minor illnesses.",
    "There are extra clinics in Basildon, Thurrock and Southend-on-Sea this week.",
    "They're open from 8am until 8pm, Monday to Friday.",
    "Their walk-in service is open on Saturday mornings.",
    "Parents can bring their children to the drop-in session.",
    "We're recruiting volunteers to help at our vaccination centres.",
    "Let's get everyone protected before winter.",
    "Remember to order your repeat prescriptions before the bank holiday.",
    "Stay well this winter: keep warm and check on older neighbours.",
    "Childhood immunisations protect against serious illnesses such as measles.",
    "We organise community health checks across Mid and South Essex.",
    "The health centre in Grays has a new phlebotomy service.",
    "Paediatric services at Southend University Hospital are moving.",
    "Changes in behaviour can be an early sign of dementia.",
    "Carers do a great job and we value their work.",
    "Thank you for your patience while we update our systems.",
    "Your feedback helps us improve our services.",
    "Antibiotics don't work for colds or flu.",
    "Most coughs get better on their own within three weeks.",
    "Drink plenty of fluids and get lots of rest.",
    "Speak to a pharmacist if your symptoms don't improve.",
    "Our new clinic in Wickford opens on Monday.",
    "Fewer people attended A&E this weekend than last year.",
    "You should have received a text message with your appointment time.",
    "Patients who need help should call 111.",
    "The nurses were very helpful and kind.",
    "An appointment is not needed for the drop-in clinic.",
    "We look forward to seeing you at the event in Chelmsford.",
    "Please bring your medication and a list of any allergies.",
    "Free blood pressure checks are available at local pharmacies in Maldon and Braintree.",
    "Canvey Island and Castle Point residents can now book online.",
    "Are there children under five in your household?",
    "Is there a pharmacy open near you on Sunday?",
    "Staff who need support can speak to their manager.",
    "Anyone who needs help can call us.",
    "People can manage their own prescriptions online.",
    "Find out what is there for you and your family.",
]


def _run(sentences: list[str]) -> list[list]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i, sentence in enumerate(sentences):
            (root / f"s{i:03d}.md").write_text(f"---\nplatforms: [x]\n---\n{sentence}\n")
        config = from_mapping({"select": ["L001", "L002", "L003", "X003"]})
        run = lint_paths([root], PipelineFactory(config))
        by_name = {Path(p.path).name: p.findings for p in run.posts}
        return [by_name.get(f"s{i:03d}.md", []) for i in range(len(sentences))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show misses and false alarms")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--perf", action="store_true", help="also time a fresh server: start, first, warm"
    )
    args = parser.parse_args()
    if args.perf:
        print(json.dumps(performance(), indent=2))
    started = time.perf_counter()
    figures = {"tuned": evaluate(ERRORS, CLEAN, args.verbose, "tuned")}
    figures["held_out"] = evaluate(HELD_OUT_ERRORS, HELD_OUT_CLEAN, args.verbose, "held-out")
    if figures["tuned"] is None or figures["held_out"] is None:
        return 2
    figures["seconds"] = round(time.perf_counter() - started, 2)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name in ("tuned", "held_out"):
            f = figures[name]
            print(
                f"{name:9} errors found: {f['errors_found']}/{f['error_sentences']} "
                f"({f['hit_rate']:.0%}); false alarms: {f['false_alarms']}/"
                f"{f['clean_sentences']} clean sentences; L003 info on clean: "
                f"{f['l003_info_on_clean']}"
            )
        print(f"{figures['seconds']:.1f} s")
    return 0


POST_50_WORDS = (
    "Flu jabs are free this winter for everyone aged 65 and over, pregnant women, carers "
    "and people with long-term health conditions. 💉 Book yours at your GP practice or a "
    "local pharmacy in Basildon, Thurrock or Southend-on-Sea. It only takes a few minutes "
    "and helps protect you and the people you love. #FluJab @MSEICB"
)


def performance() -> dict:
    """Start a private server and time it: start, first check, warm checks, memory."""
    import os
    import statistics

    from postlint_checks import spelling

    from postlint import languagetool as lt
    from postlint.model import Post, SourceMap

    state_dir = Path(tempfile.mkdtemp(prefix="postlint-lt-perf-"))
    try:
        started = time.perf_counter()
        state = lt.start_server(state_dir=state_dir, owner_pid=os.getpid(), warm_up=False)
        start_seconds = time.perf_counter() - started
        post = Post(POST_50_WORDS, "perf.md", SourceMap.for_text("perf.md", POST_50_WORDS))
        skips = spelling.skips_for(post)

        def once(timeout: float = 30.0) -> float:
            began = time.perf_counter()
            lt.check_annotated(
                state.url,
                lt.annotate(post.text, skips),
                "en-GB",
                disabled_rules=spelling.DEFAULT_DISABLED_RULES,
                timeout=timeout,
            )
            return time.perf_counter() - began

        first = once(timeout=180.0)  # loads the rules: start_server does this as warm-up
        warm = [once() for _ in range(30)]
        rss_kb = 0
        for line in Path(f"/proc/{state.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss_kb = int(line.split()[1])
        return {
            "words": len(POST_50_WORDS.split()),
            "server_http_up_s": round(start_seconds, 2),
            "first_check_s": round(first, 3),
            "warm_check_median_ms": round(statistics.median(warm) * 1000, 1),
            "warm_check_max_ms": round(max(warm) * 1000, 1),
            "server_rss_mb": round(rss_kb / 1024),
        }
    finally:
        lt.stop_server(state_dir)


def evaluate(errors, clean, verbose: bool, label: str) -> dict | None:
    error_results = _run([s for s, _ in errors])
    clean_results = _run(clean)
    tool = [f for r in error_results + clean_results for f in r if f.code == "X003"]
    if tool:
        print(f"LanguageTool unavailable: {tool[0].message}", file=sys.stderr)
        return None
    hits, misses = 0, []
    for (sentence, wrong), findings in zip(errors, error_results, strict=True):
        start = sentence.index(wrong)
        end = start + len(wrong)
        found = [
            f
            for f in findings
            if f.code in ("L001", "L002")
            and f.start is not None
            and f.start < end
            and start < f.end
        ]
        if found:
            hits += 1
        else:
            misses.append((sentence, wrong, [f"{f.code} {f.message[:60]}" for f in findings]))
    alarms = []
    infos = 0
    for sentence, findings in zip(clean, clean_results, strict=True):
        serious = [f for f in findings if f.code in ("L001", "L002")]
        infos += sum(1 for f in findings if f.code == "L003")
        if serious:
            alarms.append((sentence, [f"{f.code} {f.message[:70]}" for f in serious]))
    if verbose:
        for sentence, wrong, got in misses:
            print(f"{label} MISS  {wrong!r:16} {sentence}  {got}")
        for sentence, got in alarms:
            print(f"{label} ALARM {sentence}  {got}")
    return {
        "error_sentences": len(errors),
        "errors_found": hits,
        "hit_rate": round(hits / len(errors), 3),
        "clean_sentences": len(clean),
        "false_alarms": len(alarms),
        "false_alarm_rate": round(len(alarms) / len(clean), 3),
        "l003_info_on_clean": infos,
    }


if __name__ == "__main__":
    sys.exit(main())

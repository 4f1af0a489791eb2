"""A hand-built Comparison of the bundled example pair, shaped as `samestory.compare` returns it.

The renderers are tested on it without loading any model, so these tests take milliseconds.
"""

from __future__ import annotations

from pathlib import Path

from samestory.compare.comparison import (
    AlignedPair,
    Comparison,
    Conflict,
    DocumentSummary,
    Inconsistency,
    Scores,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "event-pair"

SENTENCES_A = (
    "Police respond to the scene in Las Cruses, where a suspect was killed following a high speed chase and fatal shooting of an officer.",
    "(CNN) -- The fatal shooting of a New Mexico State Police officer Thursday led to a high-speed chase that ended in a shootout with the suspect.",
    "State Police said the officer was killed on Interstate 10 near the town of Akela in Luna County, about 70 miles northwest of El Paso, Texas.",
    "The identity of the officer and the exact circumstances of the shooting have yet to be revealed.",
    "After the officer was fatally shot, the suspect was tracked heading east on the interstate toward Las Cruces.",
    "After a roughly 40-mile pursuit, Las Cruces Police Department officers caught up with the suspect's getaway truck, LCPD spokesman Dan Trujillo told CNN.",
    "Trujillo confirmed the authenticity of amateur video posted online by Austin Contreras, who was working on a construction site when he heard sirens.",
    "The video showed a Las Cruces police cruiser shoving the truck off of the road.",
    "After the truck slides to a halt, a person is seen emerging from the truck and pointing a firearm at police amid sounds of gunfire.",
    "One officer is seen crouching behind the police vehicle closest to the suspect.",
    "The gunfire continues until police approach the truck as an individual next to the vehicle appears motionless.",
    "State Police confirmed that the suspect was killed, and the department plans to release more details on the case Thursday evening.",
    "One Las Cruces officer was injured in the shooting, but Trujillo says the officer was treated at an area hospital and released.",
)

SENTENCES_B = (
    "State Police said Officer Darian Jarrott was killed on Interstate 10, near the town of Akela in Luna County, about 70 miles northwest of El Paso, Texas.",
    "Jarrott, 28, started a traffic stop in a white truck while “helping with Homeland Security Investigations”, according to NMSP chief Robert Thornton, at a news conference on Thursday.",
    "The truck driver, identified by the police as Omar Felix Cueva, 39, shot and killed Jarrott before heading east on the interstate towards Las Cruces.",
    "Police in several departments pursued it, Thornton said, including officials from the NMSP, the US Border Patrol, the Doña Ana County Sheriff’s Office and the Las Cruces Police Department.",
    "When Cueva entered Las Cruces, the police placed spike strips to damage the truck’s tires.",
    "According to Thornton, a Las Cruces officer also performed a chase intervention technique to force the truck to the side.",
    "Shooting with captured video",
    "Las Cruces police spokesman Dan Trujillo confirmed the authenticity of the amateur video posted online by Austin Contreras, who was working on a construction site about 40 miles from the Jarrott shooting.",
    "The video showed a Las Cruces police car pushing the truck off the road.",
    "After the truck stops, Cueva is seen exiting the vehicle and pointing a firearm at the police amid sounds of gunfire.",
    "A policeman is seen crouched behind the police vehicle closest to the truck.",
    "The shooting continues until the police approach the truck while Cueva appears motionless beside the vehicle.",
    "State Police confirmed that Cueva was shot at least once and died on the spot.",
    "A Las Cruces police officer was injured in the shooting, but police said the police officer was treated at a local hospital and released.",
    "Jarrott began his career as a transportation inspector in the New Mexico Department of Public Security.",
    "He was sworn in as an NMSP officer in July 2015.",
    "Jarrott is leaving three small children, with a fourth expected this year, according to NMSP chief Thornton.",
    "“We are here to honor Officer Darian Jarrett, for his sacrifice and for what he did for this community and for this state,” said Thornton, sharing that one of Jarrott’s captains described the officer as the “coolest guy he has ever met. , who always had a smile on his face. ”",
)

DROPPED_A = (
    "CNN's Christina Zdanowicz contributed to this report.",
    "Recommended for you",
    "(0) comments",
    "Welcome to the discussion.",
    "Keep it Clean. Please avoid obscene, vulgar, lewd, racist or sexually-oriented language.",
    "Don't Threaten. Threats of harming another person will not be tolerated.",
    "Be Truthful. Don't knowingly lie about anyone or anything.",
    "Be Nice. No racism, sexism or any sort of -ism that is degrading to another person.",
    "Be Proactive. Use the 'Report' link on each comment to let us know of abusive posts.",
    "Share with Us. We'd love to hear eyewitness accounts, the history behind an article.",
)


def example_comparison() -> Comparison:
    """What `compare(first-report-web-copy.txt, update-translated.txt)` is expected to return."""
    return Comparison(
        a=DocumentSummary(
            title="Fatal shooting of police officer in New Mexico leads to a 40-mile chase and shootout",
            lang="en",
            chars=1595,
            dropped=DROPPED_A,
            source=str(EXAMPLE / "first-report-web-copy.txt"),
            id="a1b2c3",
        ),
        b=DocumentSummary(
            title="",
            lang="en",
            chars=2255,
            dropped=("Christina Zdanowicz of CNN contributed to this report.",),
            source=str(EXAMPLE / "update-translated.txt"),
            id="d4e5f6",
        ),
        same_event=True,
        same_event_probability=0.97,
        scores=Scores(
            geography=1.3, entities=2.1, time=1.4, narrative=1.5, overall=1.6, style=2.4, tone=1.9
        ),
        reasons={
            "geography": "both place it on Interstate 10 near Akela, Luna County, and in Las Cruces",
            "entities": "share State Police, Dan Trujillo, Austin Contreras; B adds Jarrott, Cueva, Thornton",
            "time": "both Thursday; B adds July 2015 background",
            "narrative": "11 of 13 sentences of A have a counterpart in B",
            "overall": "same shooting and pursuit; B is a later, longer update",
            "style": "wire copy vs machine translation",
            "tone": "both factual; B ends with a tribute",
        },
        sentences_a=SENTENCES_A,
        sentences_b=SENTENCES_B,
        alignment=(
            AlignedPair(a=1, b=1, similarity=0.52, adds=("Robert Thornton",)),
            AlignedPair(a=2, b=0, similarity=0.93, adds=("Darian Jarrott",)),
            AlignedPair(a=4, b=2, similarity=0.74, adds=("Omar Felix Cueva", "39")),
            AlignedPair(a=5, b=3, similarity=0.55),
            AlignedPair(a=5, b=4, similarity=0.51),
            AlignedPair(a=6, b=7, similarity=0.86, adds=("40 miles",)),
            AlignedPair(a=7, b=8, similarity=0.90),
            AlignedPair(a=8, b=9, similarity=0.84),
            AlignedPair(a=9, b=10, similarity=0.88),
            AlignedPair(a=10, b=11, similarity=0.83),
            AlignedPair(a=11, b=12, similarity=0.71, removes=("Thursday evening",)),
            AlignedPair(a=12, b=13, similarity=0.89),
        ),
        only_a=(0, 3),
        only_b=(5, 6, 14, 15, 16, 17),
        conflicts=(
            Conflict(
                kind="place",
                a="Las Cruses",
                b="Las Cruces",
                a_sentence=0,
                b_sentence=4,
                reason="one place spelled two ways (gazetteer: Las Cruces, New Mexico)",
            ),
        ),
        inconsistencies=(
            Inconsistency(
                doc="b",
                kind="name",
                values=("Jarrott", "Jarrett"),
                sentences=(16, 17),
                reason="one person spelled two ways",
            ),
        ),
        evidence={},
        model_version="hand-built",
    )

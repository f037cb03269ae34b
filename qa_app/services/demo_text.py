"""Phrase banks for synthetic demo plans. Sentences are assembled from several banks so
that no two plans read alike; every plan is marked synthetic wherever it is shown.

The child is always written as ``[child]``: stored plans never carry names, so the demo
reads the way an imported, redacted plan does.
"""

from __future__ import annotations

VIEWS_OPENINGS = [
    "[child] told us through a talking mat session that",
    "When we met at home, [child] said that",
    "In a conversation with their key worker, [child] explained that",
    "Using symbols and photographs, [child] showed us that",
    "[child]'s parents describe a child who",
    "I want people to know that",
]
VIEWS_CONTENT = [
    "they love swimming, dinosaurs and building with Lego",
    "the best part of the day is playtime with two close friends",
    "loud assemblies are hard and a quiet corner helps",
    "they would like to work with animals when they are older",
    "they want to catch the bus to college on their own",
    "drawing and music help them calm down",
    "they enjoy cooking and want to make a full meal for the family",
    "they find writing tiring but enjoy telling stories out loud",
    "football at the weekend matters more than anything",
    "they want teachers to explain things one step at a time",
]
VIEWS_GATHERING = [
    "Views were gathered over two sessions with an adult who knows [child] well.",
    "Parents contributed a one-page profile, and the school added observations.",
    "A 'my future' booklet was completed with the SENCO.",
    "Views were recorded in [child]'s own words and checked back with them.",
    "",
]

NEEDS_BY_PRIMARY = {
    "ASD": "Communication and interaction: [child] has a diagnosis of autism. They find unstructured times and changes to routine difficult and need visual supports to follow instructions.",
    "SEMH": "Social, emotional and mental health: [child] experiences high anxiety, particularly at transitions, and can leave the classroom when overwhelmed.",
    "SLCN": "Communication and interaction: [child] has a language disorder affecting understanding of longer sentences and the vocabulary of the curriculum.",
    "MLD": "Cognition and learning: [child] is working well below age-related expectations in literacy and numeracy and needs small steps and repetition.",
    "SLD": "Cognition and learning: [child] has a severe learning difficulty and communicates with a mix of signs, symbols and single words.",
    "PMLD": "Cognition and learning and physical needs: [child] has profound and multiple learning difficulties and relies on adults for all personal care.",
    "SpLD": "Cognition and learning: [child] has dyslexia; reading accuracy and spelling are well below their verbal ability.",
    "HI": "Sensory: [child] has a moderate bilateral hearing loss and uses hearing aids and a radio aid in class.",
    "VI": "Sensory: [child] has a visual impairment and needs enlarged print and careful seating.",
    "MSI": "Sensory: [child] has combined hearing and visual impairment and needs a consistent intervenor.",
    "PD": "Physical: [child] has cerebral palsy affecting fine and gross motor skills and uses a walker over short distances.",
    "OTH": "[child] has a rare genetic condition affecting stamina, concentration and learning.",
    "NSA": "[child]'s needs are described in the advice received; no specialist assessment of primary need has been made.",
}
NEEDS_EXTRA = [
    "Strengths: [child] is kind, curious and remembers facts about topics they enjoy.",
    "Current attainment: reading age about two years below chronological age.",
    "[child] benefits from clear routines and advance warning of change.",
    "Attendance has been 84% this year, with absences linked to anxiety.",
    "They have made good progress in phonics since the last review.",
]
HEALTH_NEEDS = [
    "[child] is known to the community paediatrician and has an annual review of their epilepsy care plan.",
    "Speech and language therapy assessment identifies a moderate receptive language difficulty.",
    "Occupational therapy report notes sensory seeking behaviour and poor handwriting stamina.",
    "No health needs related to special educational needs have been identified.",
    "[child] is under CAMHS for anxiety and has a sleep difficulty managed with medication.",
]
SOCIAL_CARE_NEEDS = [
    "The family receive short breaks; parents report exhaustion in the school holidays.",
    "No social care needs have been identified at this time.",
    "[child] is a child in need and the family have an allocated social worker.",
    "A carer's assessment has been offered to the family.",
]
PLACEMENT = {
    "mainstream": "Mainstream primary or secondary school named in the plan.",
    "resourced_provision": "Mainstream school with a resourced provision for communication and interaction.",
    "special": "Maintained special school for children with complex learning needs.",
    "independent": "Independent specialist school (day placement).",
    "fe_college": "General further education college, foundation learning programme.",
    "none": "No placement named at this stage.",
}

STRONG_OUTCOMES = [
    "By the end of Key Stage 2, [child] will read aloud a book at their level with 90% accuracy, answering three questions about it without adult help.",
    "By July next year, I will start a conversation with a classmate at break time on at least three days a week, as seen by staff.",
    "Within twelve months, [child] will use a visual timetable to move between lessons independently on four out of five days.",
    "By the end of Year 11, [child] will travel to college on the bus on their own twice a week, planning the journey with a phone app.",
    "By next summer, [child] will tell an adult when they feel anxious, using their emotions fan, in 4 out of 5 observed situations.",
    "By the end of the academic year, [child] will write a paragraph of five sentences with capital letters and full stops, with no more than one prompt.",
    "By the end of Year 9, [child] will prepare a simple hot meal at home, following a picture recipe, with one adult nearby for safety.",
    "Within six months, [child] will sign or say 'more', 'finished' and 'help' to make requests during snack time on most days.",
    "By age 19, I will complete a supported internship placement, attending on time for at least 90% of sessions.",
    "By the end of Reception, [child] will take turns in a small-group game with two peers for five minutes with one adult prompt.",
    "By the end of Key Stage 3, [child] will manage their own medication routine at school, telling staff when a dose is due, every school day.",
    "By Easter, [child] will add and subtract numbers to 20 using a number line, getting 8 out of 10 questions right.",
]
WEAK_OUTCOMES = [
    "[child] will receive speech and language therapy.",
    "[child] will have access to a quiet space when needed.",
    "To improve [child]'s communication skills.",
    "[child] will be supported to access the curriculum.",
    "[child] will be happy and settled in school.",
    "I want to be a vet when I grow up.",
    "[child] will develop their social skills.",
    "[child] will make progress in reading and writing.",
    "To be supported by an adult in all lessons by September.",
    "[child] will continue to work on independence.",
    "[child] will be more confident.",
    "[child] will attend a social skills group.",
]
STRONG_PROVISION = [
    "Speech and language therapist to deliver direct therapy, 30 minutes weekly in a 1:1 session, reviewed each term.",
    "Teaching assistant trained in Precision Teaching to deliver 15 minutes daily, 1:1, monitored half-termly by the SENCO.",
    "Small group (maximum 4) social communication session with a trained ELSA, 45 minutes twice weekly.",
    "Occupational therapy programme written by a qualified OT and delivered by school staff for 20 minutes three times a week, reviewed every 6 weeks.",
    "Full-time 1:1 support from a teaching assistant during unstructured times (break and lunch, 75 minutes daily).",
    "Educational psychologist to consult with staff for two sessions per term and review the learning plan.",
    "Qualified teacher of the deaf to visit twice a term for an hour, check the radio aid and advise staff; radio aid worn in every lesson.",
    "All printed materials enlarged to N24 bold by the class teaching assistant before each lesson, checked termly by the QTVI.",
    "A named key adult (the pastoral lead) to check in with [child] for 10 minutes on arrival every day, with a calm-down plan reviewed each half term.",
    "ELSA sessions with the school's trained ELSA, 30 minutes weekly for a block of 8 weeks, reviewed with parents.",
    "Physiotherapy stretching programme set by the NHS physiotherapist, delivered by two trained teaching assistants for 20 minutes daily.",
    "Structured phonics programme delivered 1:1 by a trained teaching assistant for 20 minutes every school day.",
]
WEAK_PROVISION = [
    "Access to speech and language therapy as required.",
    "Support from an adult as appropriate.",
    "Regular opportunities to develop social skills.",
    "[child] would benefit from a small class.",
    "Up to 15 hours of support per week.",
    "Interventions such as Lego therapy.",
    "Funding band 3.",
    "Access to a quiet space when anxious.",
    "Hearing advice from the sensory service as needed.",
    "Regular reading support.",
]

STRENGTHS_NOTES = [
    "Section A is written in the child's own voice and the aspirations run through the plan.",
    "Provision in F is specified and quantified, with clear roles and frequencies.",
    "Outcomes are specific, measurable and linked to the aspirations.",
    "Health advice has been translated clearly into sections C and G.",
    "Good evidence of co-production with the family.",
    "The golden thread from needs to outcomes to provision is easy to follow.",
    "Preparing for Adulthood outcomes are ambitious and realistic.",
]
DEVELOPMENT_NOTES = [
    "Several outcomes describe provision rather than what the child will achieve.",
    "Provision uses 'access to' and 'as required'; frequency and staffing are missing.",
    "Outcomes have no timescales or interim steps.",
    "Section A is written about the child, not with them.",
    "Social care section says 'no needs' without evidence of assessment.",
    "Health provision in G is not linked to the needs in C.",
    "Preparing for Adulthood outcomes are missing for a young person in Year 10.",
    "Jargon makes the plan hard for the family to read.",
]
EVIDENCE_NOTES = {
    1: [
        "Key requirement missing: see section text.",
        "No evidence in the plan meets this criterion.",
        "Outcomes are written as provision throughout.",
        "Provision is not quantified at all; 'as required' used repeatedly.",
    ],
    2: [
        "Partly met; some items lack frequency or staffing.",
        "Some outcomes measurable, others vague.",
        "The family's views are summarised by professionals rather than recorded directly.",
        "Links between needs and provision are inconsistent.",
    ],
    3: ["Meets the standard.", "Clear and specific.", ""],
    4: ["Exemplary: could be used in training.", ""],
}

# Annual-review audits: evidence notes on the review process, by score.
REVIEW_NOTES = {
    1: [
        "No record of when the invitation was sent.",
        "The decision letter went out well after the four weeks.",
        "The review papers hold no views from the young person.",
    ],
    2: [
        "Advice reached the family a few days before the meeting.",
        "Views are summarised by the setting rather than recorded directly.",
        "The decision was a week late.",
    ],
    3: [
        "Dates on file show the timescale was met.",
        "Views were gathered and recorded in the review report.",
        "Progress is described outcome by outcome.",
    ],
    4: [
        "Every step is dated and within the timescale, with the family consulted on the date.",
        "The young person's own words are quoted and shaped the new outcomes.",
        "All four preparing-for-adulthood areas have next steps with owners.",
    ],
}

# Family voice: what a parent or carer, or the child or young person, said.
FAMILY_COMMENTS = {
    "parent_carer": {
        "agree": [
            "The caseworker rang before the review and took time to hear our worries.",
            "The plan reads like our child; the school staff recognised it straight away.",
            "We know who is doing what each week and when it will be checked.",
        ],
        "disagree": [
            "We were sent the papers the night before and felt rushed at the meeting.",
            "The plan could be about any child; it misses what a good day looks like at home.",
            "It says support will be given but not how often or by whom.",
        ],
    },
    "child_young_person": {
        "agree": [
            "They asked me what I wanted and wrote it down in my words.",
            "It says I like drawing and that loud rooms are hard for me.",
            "I know my helper sees me on Tuesdays and Thursdays.",
        ],
        "disagree": [
            "Nobody asked me what I thought.",
            "It does not sound like me.",
            "I do not know what is going to happen next.",
        ],
    },
}

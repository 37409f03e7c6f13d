"""The console demo script both pushed-message tests pipe in at once: a tourist writes while
nobody is on the team (the message is held), the manager joins with ``code`` (it is pushed to
her, its Reply button numbered /9 after the desk's eight) and answers through that button."""


def held_message_script(code: str) -> str:
    return "\n".join(
        [
            "/start",
            "/2",  # English
            "/1",  # share my phone
            "+380671234567",
            "/1",  # offers: yes
            "/4",  # Contact manager
            "Can we have a sea view?",  # nobody on the team yet: held
            ":user iryna",
            code,  # joins: the held message is pushed to her
            "/9",  # its Reply button
            "Yes, booked.",
            "",
        ]
    )

"""Arabic dates and numbers as the programme's countries write them (Maghreb, Sahel).

Day, month name, year, without the Latin comma Django's fallback puts in ("ديسمبر 1, 2026,
7 م." came from the English DATETIME_FORMAT, which Django's ``ar`` locale does not set); 24-hour
times; Latin digits with a decimal comma, as in Morocco, Tunisia and Algeria. Anything not set
here falls back to Django's ``ar`` formats.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3

"""Dates and times as each language writes them (FORMAT_MODULE_PATH; Django's own formats fill in the
rest, numbers included). Templates name the formats, never a pattern: `|date:"SHORT_DATETIME_FORMAT"` to
the minute, `|date:"DATETIME_FORMAT"` to the second, `|date:"SHORT_DATE_FORMAT"` for a day, and
`|time:"TIME_FORMAT"`. Times are 24-hour in every language.

* English: "7 Dec 2026, 14:05", day before month with the month's name, so that no reader takes 07/12
  for July (Django's en is American: 12/07/2026 2:05 p.m.).
* Turkish and Albanian: "07.12.2026 14:05", as the newspapers of both countries write it (Django's sq
  has no date-and-time format, and a 12-hour clock)."""

# Django gives Arabic no date-and-time format, so it fell back to the English "N j, Y, P" ("يناير 4, 2027, 2:26 ص"):
# the day before the month and Arabic commas, as Django's own Arabic DATE_FORMAT writes dates.
DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"

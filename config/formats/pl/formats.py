"""Polish date formats as Polish offices write them (14.05.1944), not Django's default 14-05-1944.

The first input format of each kind is the one form fields show; the others are accepted as typed (ISO
always). `*_INPUT_HINT` is the placeholder of the matching text input (socius.web.widgets).
"""

DATE_FORMAT = "j E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%d%m%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "%H%M"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y, %H:%M"]
DATE_INPUT_HINT = "dd.mm.rrrr"
TIME_INPUT_HINT = "gg:mm"
DATETIME_INPUT_HINT = "dd.mm.rrrr gg:mm"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1

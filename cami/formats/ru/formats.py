DATE_FORMAT = "j E Y"  # 31 октября 2028: the month in the genitive
SHORT_DATE_FORMAT = "j N Y"  # 1 дек. 2026 (the portal's catalogue gives N the genitive forms)
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATETIME_FORMAT = "j N Y, H:i"

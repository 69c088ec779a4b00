"""The Excel round trip: the offline template, its upload, and the Secretariat's workbook."""
